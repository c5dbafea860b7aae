using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Lameduck.Cli.Lab.Sessions;

/// <summary>
/// A client of one session protocol: opens a connection through the ingress, waits for its first echo or event
/// (only then is it a session), keeps it busy so that a dead one is noticed quickly, and says how it ended.
/// One instance per session: it may keep connections between attempts, as one browser tab or app instance does.
/// </summary>
/// <example>
/// <code>
/// using var client = SessionClient.Create(SessionProtocol.WebSocket, settings, () => clock.Elapsed);
/// var end = await client.RunAsync(new Uri("http://127.0.0.1:40100/"), replica => Console.WriteLine($"on {replica}"), stop);
/// Console.WriteLine($"{end.Outcome} {end.CloseCode} {end.Reason}");
/// </code>
/// </example>
public abstract class SessionClient(SessionSettings settings, Func<TimeSpan> clock) : IDisposable
{
    /// <summary>The sessions' settings.</summary>
    protected SessionSettings Settings => settings;

    /// <summary>Now, on the lab's clock.</summary>
    protected TimeSpan Now => clock();

    /// <summary>The protocol this client speaks.</summary>
    public abstract SessionProtocol Protocol { get; }

    /// <summary>Creates the client for <paramref name="protocol"/>.</summary>
    public static SessionClient Create(SessionProtocol protocol, SessionSettings settings, Func<TimeSpan> clock) => protocol switch
    {
        SessionProtocol.WebSocket => new WebSocketSessionClient(settings, clock),
        SessionProtocol.Sse => new SseSessionClient(settings, clock),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    /// <summary>
    /// Runs one connection to <paramref name="address"/> until it ends, or until <paramref name="stop"/> fires (then it
    /// is closed politely and the outcome is <see cref="SessionOutcome.Stopped"/>). <paramref name="onEstablished"/> is
    /// called with the replica's name (null when the app does not send <c>X-Pod-Name</c>) at the first echo or event.
    /// Never throws for what the network or the server does: that is the outcome.
    /// </summary>
    public abstract Task<SessionEnd> RunAsync(Uri address, Action<string?> onEstablished, CancellationToken stop);

    /// <summary>Releases the client's connections.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>A short name for what broke a connection: <c>connection reset</c>, <c>EOF without close frame</c>...</summary>
    protected internal static string Describe(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case SocketException s:
                    return s.SocketErrorCode switch
                    {
                        SocketError.ConnectionReset => "connection reset",
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.ConnectionAborted => "connection aborted",
                        SocketError.Shutdown or SocketError.NotConnected => "connection closed",
                        SocketError.TimedOut => "connect timeout",
                        _ => "socket error " + s.SocketErrorCode,
                    };
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } when x.InnerException is null:
                    return "EOF before the end of the stream";
                case WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely } when x.InnerException is null:
                    return "EOF without close frame";
            }
        }
        var message = e.Message;
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }

    /// <summary>The replica's name from the response headers (<see cref="SessionSettings.PodNameHeader"/>), or null.</summary>
    protected static string? PodName(IEnumerable<KeyValuePair<string, IEnumerable<string>>>? headers)
    {
        foreach (var (name, values) in headers ?? [])
        {
            if (string.Equals(name, SessionSettings.PodNameHeader, StringComparison.OrdinalIgnoreCase))
                return values.FirstOrDefault(v => v.Length > 0);
        }
        return null;
    }

    /// <summary>A duration as typed on the command line: <c>5s</c>.</summary>
    protected static string Seconds(TimeSpan value) => Lameduck.Text.DurationText.Format(value);

    /// <summary>An attempt that never became a session.</summary>
    protected SessionEnd NotEstablished(string? replica, string reason, SessionOutcome outcome = SessionOutcome.Cut) =>
        new(false, replica, outcome, null, reason, Now);
}
