namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// Counts how many connections one request was written to. SocketsHttpHandler, like Go's net/http and
/// browsers, resends a request on another connection when its connection was closed (FIN) before any
/// response byte arrived (.NET: up to 3 times, on reused and fresh connections alike; not after a RST). The
/// handler does not report it, so verify observes it on the wire: every connection's stream
/// (<see cref="AttemptTrackingStream"/>) tells the request writing to it, found through an
/// <see cref="AsyncLocal{T}"/> that flows with the request's async calls.
/// </summary>
/// <remarks>
/// HTTP/1.1 writes a request from the request's own async flow, so this is exact there. HTTP/2 writes frames
/// from a per-connection writer loop, so it cannot be attributed and retries are reported as not measured.
/// </remarks>
internal sealed class ConnectionAttempts
{
    private static readonly AsyncLocal<ConnectionAttempts?> s_current = new();
    private object? _lastConnection;

    /// <summary>The request being sent on this async flow, if any.</summary>
    public static ConnectionAttempts? Current => s_current.Value;

    /// <summary>Number of distinct connections the request was written to.</summary>
    public int Connections { get; private set; }

    /// <summary>Resends: connections used beyond the first.</summary>
    public int Retries => Math.Max(0, Connections - 1);

    /// <summary>Makes this the current request for the calling async flow (and the calls it awaits).</summary>
    public void Enter() => s_current.Value = this;

    /// <summary>Called by a connection's stream when the current request writes to it.</summary>
    public void WroteTo(object connection)
    {
        if (ReferenceEquals(connection, _lastConnection)) return;
        _lastConnection = connection;
        Connections++;
    }
}
