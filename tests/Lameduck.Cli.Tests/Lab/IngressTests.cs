using System.Net;
using Lameduck.Cli.Lab.Ingress;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>The four ingresses against real stand-in servers: routing, endpoint removal, errors passed through, cleanup.</summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class IngressTests : IAsyncLifetime
{
    private readonly LabTempDir _dir = new();
    private readonly List<Replica> _replicas = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var r in _replicas) r.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private async Task<Endpoint> BackendAsync()
    {
        int port = FreePort.Next();
        var name = "r" + (_replicas.Count + 1);
        _replicas.Add(Replica.Start(new ReplicaTemplate(StandInServer.Command(), new Dictionary<string, string>()), name, port, _dir.Path));
        Assert.True(await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(20), default), "stand-in did not start");
        return new Endpoint(name, port);
    }

    /// <summary>One request on a fresh connection: the status and the port that answered (0 on a transport error).</summary>
    private static async Task<(HttpStatusCode? Status, int Port)> AskAsync(IIngress ingress)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, ingress.Address);
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            int port = body.StartsWith("port ", StringComparison.Ordinal) ? int.Parse(body[5..].Trim()) : 0;
            return (response.StatusCode, port);
        }
        catch (HttpRequestException)
        {
            return (null, 0);
        }
    }

    public static TheoryData<IngressKind> Kinds => [IngressKind.L7, IngressKind.KubeProxy, IngressKind.Nginx, IngressKind.Haproxy];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Routes_to_every_endpoint_then_only_to_those_left_and_passes_errors_through(IngressKind kind)
    {
        var a = await BackendAsync();
        var b = await BackendAsync();
        var ingress = IngressFactory.Create(kind, seed: 1, retries: false);
        int? pid;
        int ingressPort;
        try
        {
            await ingress.StartAsync(_dir.Path, default);
            pid = ingress.ProcessId;
            ingressPort = ingress.Address.Port;
            await ingress.AddEndpointAsync(a, default);
            await ingress.AddEndpointAsync(b, default);

            var seen = new HashSet<int>();
            for (int i = 0; i < 30 && seen.Count < 2; i++)
            {
                var (status, port) = await AskAsync(ingress);
                Assert.Equal(HttpStatusCode.OK, status);
                seen.Add(port);
            }
            Assert.Equal(new HashSet<int> { a.Port, b.Port }, seen);

            await ingress.RemoveEndpointAsync(a, default);
            // nginx applies a reload asynchronously: wait until the new view answers, then demand it consistently.
            await ProcessAssert.EventuallyAsync(async () => (await AskAsync(ingress)).Port == b.Port, TimeSpan.FromSeconds(10), "routing to the remaining endpoint");
            for (int i = 0; i < 10; i++) Assert.Equal((HttpStatusCode.OK, b.Port), await AskAsync(ingress));

            // The remaining replica dies but is still in the view (propagation not over): the client sees the error.
            _replicas[1].Dispose();
            await ProcessAssert.PortsFreeAsync([b.Port]);
            for (int i = 0; i < 5; i++)
            {
                var (status, _) = await AskAsync(ingress);
                HttpStatusCode? expected = kind switch
                {
                    IngressKind.L7 or IngressKind.Nginx => HttpStatusCode.BadGateway,
                    IngressKind.Haproxy => HttpStatusCode.ServiceUnavailable,
                    _ => null, // kube-proxy: the connection is reset, as behind kube-proxy
                };
                Assert.Equal(expected, status);
            }
            // nginx's own account of those 502s, passed on by the lab; none before the replica died (the reloads are not errors).
            if (kind == IngressKind.Nginx)
            {
                var errors = ingress.LoggedErrors();
                Assert.Equal(5, errors.Count(e => e.Contains("connect() failed (111: Connection refused) while connecting to upstream", StringComparison.Ordinal) &&
                                                  e.Contains($"upstream: \"http://127.0.0.1:{b.Port}/\"", StringComparison.Ordinal)));
                Assert.Equal(5, errors.Count);
            }
            else Assert.Empty(ingress.LoggedErrors());
        }
        finally
        {
            await ingress.DisposeAsync();
        }
        if (pid is { } p) await ProcessAssert.AllGoneAsync([p]);
        await ProcessAssert.PortsFreeAsync([ingressPort]);
    }

    [Fact]
    public async Task KubeProxy_keeps_an_established_connection_pinned_after_its_endpoint_is_removed()
    {
        var a = await BackendAsync();
        var b = await BackendAsync();
        await using var ingress = new KubeProxyBalancer(seed: 3);
        await ingress.StartAsync(_dir.Path, default);
        await ingress.AddEndpointAsync(a, default);
        await ingress.AddEndpointAsync(b, default);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

        var first = await client.GetStringAsync(ingress.Address);
        var pinned = first.Contains(a.Port.ToString()) ? a : b;
        await ingress.RemoveEndpointAsync(pinned, default);

        for (int i = 0; i < 5; i++) Assert.Equal(first, await client.GetStringAsync(ingress.Address));
        Assert.Equal(1, ingress.BackendConnections);
    }

    [Fact]
    public async Task Nginx_with_retries_masks_a_dead_endpoint_as_its_defaults_do()
    {
        var alive = await BackendAsync();
        var deadPort = FreePort.Next(); // nothing listens there
        await using var ingress = new NginxIngress(retries: true);
        await ingress.StartAsync(_dir.Path, default);
        await ingress.AddEndpointAsync(new Endpoint("dead", deadPort), default);
        await ingress.AddEndpointAsync(alive, default);
        await ProcessAssert.EventuallyAsync(async () => (await AskAsync(ingress)).Port == alive.Port, TimeSpan.FromSeconds(10), "nginx reloaded");

        for (int i = 0; i < 10; i++) Assert.Equal((HttpStatusCode.OK, alive.Port), await AskAsync(ingress));
    }

    [Fact]
    public void A_missing_proxy_names_the_apt_package_to_install()
    {
        var e = Assert.Throws<IngressUnavailableException>(() => SystemTool.Locate("nginx-not-installed-here", "nginx-light"));
        Assert.Contains("apt-get install -y nginx-light", e.Message);
        Assert.Contains("--ingress l7 or kube-proxy", e.Message);
    }
}
