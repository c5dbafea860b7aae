namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>Where a connection is in its life.</summary>
internal enum ConnectionState : byte
{
    /// <summary>Non-blocking connect under way (waiting for writability).</summary>
    Connecting,
    /// <summary>Connected: carrying a request, or idle in the pool.</summary>
    Open,
    /// <summary>Closed; its file descriptor is gone.</summary>
    Closed,
}

/// <summary>
/// One keep-alive connection of the HTTP/1.1 engine: a non-blocking socket's file descriptor, the request it
/// carries (one at a time, no pipelining) and that request's response parser. No receive buffer of its own: the
/// engine reads every connection into one shared buffer, and the parser keeps only state.
/// </summary>
internal sealed class Http1Connection(int fd, int id)
{
    public int Fd { get; } = fd;

    /// <summary>The epoll token and index in the engine's connection table.</summary>
    public int Id { get; } = id;

    public ConnectionState State = ConnectionState.Connecting;

    /// <summary>The request this connection carries, or null when idle.</summary>
    public InFlightRequest? Request;

    /// <summary>Bytes of the request written so far (a large body may take several writes).</summary>
    public int Written;

    /// <summary>The whole request has been written.</summary>
    public bool WriteDone;

    /// <summary>epoll also watches for writability (connect under way, or a write that did not fit).</summary>
    public bool WatchingOut;

    /// <summary>Position in the engine's idle list, -1 when not idle.</summary>
    public int IdleIndex = -1;

    public ResponseParser Parser { get; } = new();
}
