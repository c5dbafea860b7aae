using System.Net;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// <c>--ingress l7</c>, the lab's default: an in-process L7 proxy that treats the replicas the way
/// ingress-nginx does. Clients keep their HTTP/1.1 connections (an endpoint change never closes one);
/// each request goes round robin to the next endpoint of the current view over a pool of keep-alive
/// connections to that replica. A refused or reset upstream connection is a 502 for the client (a
/// timeout a 504), with no retry and no ejection unless <c>retries</c> (nginx's defaults, see
/// <see cref="L7IngressOptions.Retries"/>). A removed endpoint is no longer chosen at once; its requests
/// in flight finish and its pooled connections are closed when the last one ends.
/// </summary>
/// <example>
/// <code>
/// await using var ingress = new L7Ingress(retries: false);
/// await ingress.StartAsync(workDir, ct);
/// await ingress.AddEndpointAsync(new Endpoint("r1", 40121), ct);
/// // requests to ingress.Address are spread over the endpoints
/// </code>
/// </example>
public sealed class L7Ingress : IIngress
{
    private readonly L7IngressOptions _options;
    private readonly UpstreamView _view = new();
    private KestrelServer? _server;
    private long _clientConnections;
    private long _upstreamConnections;

    /// <summary>Creates the ingress; <paramref name="retries"/> turns on nginx's retry and passive-ejection defaults.</summary>
    public L7Ingress(bool retries) : this(new L7IngressOptions { Retries = retries })
    {
    }

    internal L7Ingress(L7IngressOptions options) => _options = options;

    /// <inheritdoc />
    public string Name => "l7";

    /// <inheritdoc />
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <inheritdoc />
    public int? ProcessId => null;

    /// <summary>Client connections accepted since the start.</summary>
    public long ClientConnections => Interlocked.Read(ref _clientConnections);

    /// <summary>Connections opened to replicas since the start.</summary>
    public long UpstreamConnections => Interlocked.Read(ref _upstreamConnections);

    /// <inheritdoc />
    public async Task StartAsync(string workDirectory, CancellationToken ct)
    {
        var kestrel = new KestrelServerOptions { AddServerHeader = false };
        kestrel.Limits.KeepAliveTimeout = _options.ClientKeepAliveTimeout;
        // A proxy passes bodies on as they come: no size cap, no minimum data rate (an event stream may idle).
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref _clientConnections);
                return next(connection);
            });
        });
        // No logger: the lab's stderr carries its own events, not Kestrel's.
        var transport = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        _server = new KestrelServer(Microsoft.Extensions.Options.Options.Create(kestrel), transport, NullLoggerFactory.Instance);
        await _server.StartAsync(new ProxyApplication(new RequestForwarder(_view, _options)), ct).ConfigureAwait(false);
        var bound = _server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
    }

    /// <inheritdoc />
    public Task AddEndpointAsync(Endpoint endpoint, CancellationToken ct)
    {
        var upstream = new Upstream(endpoint, _options, () => Interlocked.Increment(ref _upstreamConnections));
        if (!_view.Add(upstream)) upstream.Retire(); // already routed
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Like ingress-nginx's Lua balancer: no reload, no client connection closed.</remarks>
    public Task RemoveEndpointAsync(Endpoint endpoint, CancellationToken ct)
    {
        _view.Remove(endpoint.Port)?.Retire();
        return Task.CompletedTask;
    }

    /// <summary>Stops listening, aborts the open client connections and closes every upstream connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            // The lab is over: no drain, open connections are aborted at once (as the kube-proxy balancer resets its own).
            using var now = new CancellationTokenSource();
            await now.CancelAsync().ConfigureAwait(false);
            await _server.StopAsync(now.Token).ConfigureAwait(false);
            _server.Dispose();
            _server = null;
        }
        foreach (var upstream in _view.Clear()) upstream.Retire();
    }
}
