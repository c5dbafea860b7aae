namespace Lameduck.Cli.Lab.Sessions;

/// <summary>The long-lived sessions the lab can hold open through a rollout.</summary>
public enum SessionProtocol
{
    /// <summary>A WebSocket (RFC 6455) echoed every <see cref="SessionSettings.EchoInterval"/>.</summary>
    WebSocket,
    /// <summary>A server-sent-event stream (<c>text/event-stream</c>) read event by event.</summary>
    Sse,
}

/// <summary>Names of <see cref="SessionProtocol"/> in flags and reports.</summary>
public static class SessionProtocols
{
    /// <summary><c>websocket</c> or <c>sse</c> (JSON, flags).</summary>
    public static string Name(this SessionProtocol protocol) => protocol == SessionProtocol.WebSocket ? "websocket" : "sse";

    /// <summary><c>ws</c> or <c>sse</c> (text report columns).</summary>
    public static string ShortName(this SessionProtocol protocol) => protocol == SessionProtocol.WebSocket ? "ws" : "sse";
}
