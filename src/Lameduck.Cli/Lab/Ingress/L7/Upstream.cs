using System.Net;
using System.Net.Sockets;

namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// One endpoint as the l7 ingress sees it: its own <see cref="SocketsHttpHandler"/> (a pool of keep-alive
/// connections to that replica, like nginx's upstream <c>keepalive</c> cache), a reference count so the pool
/// outlives the requests still using it after the endpoint is removed, and the passive-ejection deadline.
/// </summary>
internal sealed class Upstream
{
    private readonly HttpMessageInvoker _invoker;
    private readonly IPEndPoint _address;
    private readonly Action _connected;
    // 1 for the view holding this endpoint plus 1 per request using it; the pool is disposed at 0.
    private int _references = 1;
    private int _retired;
    private long _ejectedUntil;

    /// <param name="endpoint">The replica.</param>
    /// <param name="options">Timeouts.</param>
    /// <param name="connected">Called once per upstream connection opened (the ingress's counter).</param>
    public Upstream(Endpoint endpoint, L7IngressOptions options, Action connected)
    {
        Endpoint = endpoint;
        _address = new IPEndPoint(IPAddress.Loopback, endpoint.Port);
        _connected = connected;
        Origin = "http://127.0.0.1:" + endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            // Only what a reverse proxy does: no proxy, no redirects, no cookies, no decompression, no trace headers added.
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null,
            PooledConnectionIdleTimeout = options.UpstreamIdleTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = options.ConnectTimeout,
            // One connect attempt to one address: with a host name the handler would try every address it resolves
            // to (e.g. ::1 after 127.0.0.1), a retry nginx does not make for a server given as an IP and port.
            ConnectCallback = ConnectAsync,
        }, disposeHandler: true);
    }

    /// <summary>The replica.</summary>
    public Endpoint Endpoint { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, the prefix of every request URI sent to it.</summary>
    public string Origin { get; }

    /// <summary>Sends over a pooled connection (or a new one).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) => _invoker.SendAsync(request, ct);

    /// <summary>Takes a reference for one request; false once the endpoint was removed and its last request ended.</summary>
    public bool TryAcquire()
    {
        int seen = Volatile.Read(ref _references);
        while (seen > 0)
        {
            int before = Interlocked.CompareExchange(ref _references, seen + 1, seen);
            if (before == seen) return true;
            seen = before;
        }
        return false;
    }

    /// <summary>Gives a request's reference back; the last one disposes the connection pool.</summary>
    public void Release()
    {
        // Disposing the handler closes the pooled (idle) connections; every request using them has ended.
        if (Interlocked.Decrement(ref _references) == 0) _invoker.Dispose();
    }

    /// <summary>The endpoint left the view: gives the view's reference back (once).</summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0) Release();
    }

    /// <summary>True while a failure keeps this endpoint out of the choice (<c>fail_timeout</c>).</summary>
    public bool IsEjected(long nowMs) => nowMs < Volatile.Read(ref _ejectedUntil);

    /// <summary>Skips this endpoint until <paramref name="untilMs"/> (<see cref="Environment.TickCount64"/>).</summary>
    public void Eject(long untilMs) => Volatile.Write(ref _ejectedUntil, untilMs);

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_address, ct).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _connected();
        return new NetworkStream(socket, ownsSocket: true);
    }
}
