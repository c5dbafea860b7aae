using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Lameduck.Cli.Lab.Ingress;

/// <summary>
/// <c>--ingress kube-proxy</c>: an in-process L4 (TCP) balancer that behaves like kube-proxy: each new connection goes to a random
/// endpoint of the balancer's current view, and an established connection stays pinned to its
/// backend (like a conntrack entry) until one side closes it, even after the endpoint is removed.
/// No retries and no ejection: a connection sent to a replica that no longer listens is reset,
/// and the client sees the error, as it does behind kube-proxy or a cloud TCP load balancer.
/// </summary>
/// <remarks>
/// kube-proxy rewrites the SYN, so a client behind it sees "connection refused"; a user-space
/// balancer has already accepted the client's connection when the backend refuses, so the
/// client sees a reset instead. Both are transport errors to the client.
/// Only new connections can land on a removed pod here, which makes this the milder case next to an
/// L7 proxy's per-request balancing over pooled upstream connections (<see cref="L7.L7Ingress"/>).
/// </remarks>
public sealed class KubeProxyBalancer : IIngress
{
    private readonly Random _random;
    private readonly object _gate = new();
    private readonly List<Endpoint> _view = [];
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task? _acceptLoop;

    /// <summary>Creates the balancer; <paramref name="seed"/> makes the endpoint choice reproducible.</summary>
    public KubeProxyBalancer(int seed) => _random = new Random(seed);

    /// <inheritdoc />
    public string Name => "kube-proxy";

    /// <inheritdoc />
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <inheritdoc />
    public int? ProcessId => null;

    /// <summary>Connections the balancer has opened to backends since it started.</summary>
    public long BackendConnections => Interlocked.Read(ref _backendConnections);
    private long _backendConnections;

    /// <inheritdoc />
    public Task StartAsync(string workDirectory, CancellationToken ct)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4096);
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}/");
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AddEndpointAsync(Endpoint endpoint, CancellationToken ct)
    {
        lock (_gate) _view.Add(endpoint);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveEndpointAsync(Endpoint endpoint, CancellationToken ct)
    {
        lock (_gate) _view.RemoveAll(e => e.Port == endpoint.Port);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening and resets every open connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        foreach (var socket in _open.Keys) Reset(socket);
        if (_acceptLoop is not null)
        {
            try { await _acceptLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (ct.IsCancellationRequested) return;
                continue;
            }
            _ = Task.Run(() => ServeAsync(client, ct), CancellationToken.None);
        }
    }

    private Endpoint? Pick()
    {
        lock (_gate)
        {
            return _view.Count == 0 ? null : _view[_random.Next(_view.Count)];
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        client.NoDelay = true;
        _open.TryAdd(client, 0);
        var endpoint = Pick();
        var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (endpoint is null)
            {
                Reset(client); // no endpoints: kube-proxy rejects the connection
                return;
            }
            try
            {
                await backend.ConnectAsync(new IPEndPoint(IPAddress.Loopback, endpoint.Port), ct).ConfigureAwait(false);
                Interlocked.Increment(ref _backendConnections);
            }
            catch (SocketException)
            {
                Reset(client); // the replica no longer listens: pass the failure on, do not retry elsewhere
                return;
            }
            _open.TryAdd(backend, 0);
            var up = PumpAsync(client, backend, ct);
            var down = PumpAsync(backend, client, ct);
            var first = await Task.WhenAny(up, down).ConfigureAwait(false);
            if (!await first.ConfigureAwait(false))
            {
                // One side was reset: reset the other too, as a pinned NAT flow would see.
                Reset(client);
                Reset(backend);
                return;
            }
            await (first == up ? down : up).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(backend, out _);
            client.Dispose();
            backend.Dispose();
        }
    }

    /// <summary>Copies until EOF (then half-closes the destination: true) or an error (false).</summary>
    private static async Task<bool> PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return true;
                }
                int sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
