using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Lameduck.Cli.Lab.Ingress;
using Lameduck.Cli.Lab.Ingress.L7;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Lab.Samples;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Endpoint = Lameduck.Cli.Lab.Ingress.Endpoint;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>
/// The l7 ingress (the lab's default) against real Kestrel replicas on loopback: per-request round robin over
/// pooled upstream connections, client connections kept across endpoint changes, nginx's failure answers with
/// and without its retry defaults, streamed bodies, WebSocket tunnels.
/// </summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class L7IngressTests : IAsyncLifetime
{
    private readonly LabTempDir _dir = new();
    private readonly List<IAsyncDisposable> _disposables = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _disposables.Count - 1; i >= 0; i--) await _disposables[i].DisposeAsync();
        _dir.Dispose();
    }

    private async Task<KestrelBackend> BackendAsync(RequestDelegate? handler = null)
    {
        var backend = await KestrelBackend.StartAsync(handler);
        _disposables.Add(backend);
        return backend;
    }

    private async Task<L7Ingress> IngressAsync(L7IngressOptions? options = null, params Endpoint[] endpoints)
    {
        var ingress = new L7Ingress(options ?? new L7IngressOptions());
        _disposables.Add(ingress);
        await ingress.StartAsync(_dir.Path, default);
        foreach (var endpoint in endpoints) await ingress.AddEndpointAsync(endpoint, default);
        return ingress;
    }

    [Fact]
    public async Task Requests_on_one_client_connection_go_round_robin_per_request_over_pooled_upstream_connections()
    {
        var backends = new[] { await BackendAsync(), await BackendAsync(), await BackendAsync() };
        var ingress = await IngressAsync(null, [.. backends.Select((b, i) => b.Endpoint("r" + i))]);
        using var client = new KeepAliveClient();

        var ports = new List<int>();
        for (int i = 0; i < 30; i++) ports.Add(await client.GetPortAsync(ingress.Address));

        // Per request, not per connection: every three consecutive answers come from the three replicas, in a fixed cycle.
        Assert.Equal(3, ports.Take(3).Distinct().Count());
        for (int i = 3; i < ports.Count; i++) Assert.Equal(ports[i - 3], ports[i]);
        Assert.Equal(1, client.Connections);
        Assert.Equal(1, ingress.ClientConnections);
        // Pooled: sequential requests reuse one keep-alive connection per replica (10 requests each, 1 connection).
        Assert.All(backends, b => Assert.Equal(10, b.Requests));
        Assert.All(backends, b => Assert.Equal(1, b.Connections));
        Assert.Equal(3, ingress.UpstreamConnections);
    }

    [Fact]
    public async Task A_refused_endpoint_is_a_502_and_is_not_retried_on_another_endpoint_by_default()
    {
        var alive = await BackendAsync();
        var refused = new Endpoint("gone", FreePort.Next()); // nothing listens there
        var ingress = await IngressAsync(null, refused, alive.Endpoint("alive"));
        using var client = new KeepAliveClient();

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 10; i++) statuses.Add((await client.GetAsync(ingress.Address)).Status);

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.BadGateway));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, alive.Requests); // the refused half went nowhere else
        // Like nginx, a 502 keeps the client's keep-alive connection.
        Assert.Equal(1, client.Connections);
    }

    [Fact]
    public async Task With_retries_a_refused_endpoint_is_retried_on_another_endpoint()
    {
        var alive = await BackendAsync();
        var refused = new Endpoint("gone", FreePort.Next());
        var ingress = await IngressAsync(new L7IngressOptions { Retries = true }, refused, alive.Endpoint("alive"));
        using var client = new KeepAliveClient();

        for (int i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ingress.Address)).Status);
        Assert.Equal(10, alive.Requests);
    }

    [Fact]
    public async Task With_retries_a_failed_endpoint_is_skipped_for_fail_timeout_and_tried_again_after_it()
    {
        using var resetting = new MisbehavingBackend(MisbehavingBackend.Mode.Reset);
        var alive = await BackendAsync();
        using var client = new KeepAliveClient();

        // fail_timeout 10 s (nginx's): 10 sequential loopback requests take far less, so the failed endpoint is tried once.
        var ingress = await IngressAsync(new L7IngressOptions { Retries = true }, resetting.Endpoint("bad"), alive.Endpoint("alive"));
        for (int i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ingress.Address)).Status);
        Assert.Equal(1, resetting.Connections);
        Assert.Equal(10, alive.Requests);

        // A short fail_timeout: once it is over the endpoint is chosen again (and fails again, and is retried elsewhere).
        var shortly = await IngressAsync(new L7IngressOptions { Retries = true, FailTimeout = TimeSpan.FromMilliseconds(300) }, resetting.Endpoint("bad"), alive.Endpoint("alive"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(shortly.Address)).Status);
        long before = resetting.Connections;
        await ProcessAssert.EventuallyAsync(async () =>
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(shortly.Address)).Status);
            return resetting.Connections > before;
        }, TimeSpan.FromSeconds(10), "the failed endpoint tried again after fail_timeout");
    }

    [Fact]
    public async Task A_reset_upstream_connection_is_a_502_without_retries()
    {
        using var resetting = new MisbehavingBackend(MisbehavingBackend.Mode.Reset);
        var ingress = await IngressAsync(null, resetting.Endpoint("bad"));
        using var client = new KeepAliveClient();

        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync(ingress.Address)).Status);
        // A reset is not an end of stream: SocketsHttpHandler does not resend, so each request reached the replica once.
        Assert.Equal(3, resetting.Connections);
    }

    [Fact]
    public async Task SocketsHttpHandler_resends_a_request_without_a_body_to_the_same_replica_when_its_connection_ends_unanswered()
    {
        // docs/lab.md describes this retry of .NET's: pinned here so that a change in the runtime shows.
        using var closing = new MisbehavingBackend(MisbehavingBackend.Mode.Close);
        var alive = await BackendAsync();
        var ingress = await IngressAsync(null, closing.Endpoint("closing"), alive.Endpoint("alive"));
        using var client = new KeepAliveClient();

        var statuses = new[] { (await client.GetAsync(ingress.Address)).Status, (await client.GetAsync(ingress.Address)).Status };
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadGateway], statuses.Order());
        Assert.Equal(4, closing.Connections); // the request and 3 resends, all on new connections to the same replica
        Assert.Equal(1, alive.Requests);      // never to another one

        // A request with a body is not resent.
        using var body = new ByteArrayContent("payload"u8.ToArray());
        HttpStatusCode posted;
        do posted = (await client.Http.PostAsync(ingress.Address, body)).StatusCode; while (posted == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.BadGateway, posted);
        Assert.Equal(5, closing.Connections);
    }

    [Fact]
    public async Task A_replica_that_does_not_answer_within_the_read_timeout_is_a_504()
    {
        using var silent = new MisbehavingBackend(MisbehavingBackend.Mode.Silent);
        var ingress = await IngressAsync(new L7IngressOptions { ResponseHeadersTimeout = TimeSpan.FromMilliseconds(500) }, silent.Endpoint("mute"));
        using var client = new KeepAliveClient();

        Assert.Equal(HttpStatusCode.GatewayTimeout, (await client.GetAsync(ingress.Address)).Status);
        Assert.Equal(1, silent.Connections);
    }

    [Fact]
    public async Task Removing_an_endpoint_keeps_the_client_connection_lets_its_request_in_flight_finish_and_closes_its_pool()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowStarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        KestrelBackend? a = null, b = null;
        async Task Handler(HttpContext context, Func<KestrelBackend> self)
        {
            if (context.Request.Path == "/slow")
            {
                slowStarted.TrySetResult(self().Port);
                await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            await context.Response.WriteAsync($"port {self().Port}\n");
        }
        a = await BackendAsync(c => Handler(c, () => a!));
        b = await BackendAsync(c => Handler(c, () => b!));
        var ingress = await IngressAsync(null, a.Endpoint("a"), b.Endpoint("b"));
        using var client = new KeepAliveClient();
        using var slowClient = new KeepAliveClient();
        for (int i = 0; i < 4; i++) await client.GetPortAsync(ingress.Address);

        var slow = slowClient.GetAsync(new Uri(ingress.Address, "/slow"));
        int slowPort = await slowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var (removed, kept) = slowPort == a.Port ? (a, b) : (b, a);
        await ingress.RemoveEndpointAsync(removed.Endpoint("removed"), default);

        // Only the endpoint left is chosen, over the same client connection.
        for (int i = 0; i < 6; i++) Assert.Equal(kept.Port, await client.GetPortAsync(ingress.Address));
        Assert.Equal(1, client.Connections);
        Assert.Equal(2, ingress.ClientConnections);

        // The request in flight to the removed replica finishes normally...
        release.SetResult();
        var answer = await slow.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((HttpStatusCode.OK, removed.Port), (answer.Status, answer.Port));
        // ...and then its pooled connections are closed (the idle timeout is 60 s: this is the removal's doing).
        await ProcessAssert.EventuallyAsync(() => removed.OpenConnections == 0, TimeSpan.FromSeconds(10), "the removed replica's pooled connections closed");
        Assert.True(kept.OpenConnections >= 1, "the remaining replica's pool is kept");
        Assert.Equal(2, ingress.ClientConnections);
    }

    [Fact]
    public async Task An_event_stream_reaches_the_client_header_first_then_event_by_event()
    {
        var headerSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstEventSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = await BackendAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.FlushAsync(); // the header alone, on the wire
            // Each next piece waits for the client to have the previous one: a buffering proxy never delivers it.
            await headerSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.WriteAsync("data: one\n\n");
            await context.Response.Body.FlushAsync();
            await firstEventSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.WriteAsync("data: two\n\n");
        });
        var ingress = await IngressAsync(null, backend.Endpoint("sse"));
        using var client = new KeepAliveClient();

        using var response = await client.Http.GetAsync(ingress.Address, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        headerSeen.SetResult();
        var stream = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        var buffer = new byte[256];
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (!received.ToString().Contains("data: one\n\n"))
            {
                int n = await stream.ReadAsync(buffer, wait.Token);
                Assert.True(n > 0, "the stream ended before its first event");
                received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        Assert.DoesNotContain("two", received.ToString());
        firstEventSeen.SetResult();
        received.Append(await new StreamReader(stream).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("data: one\n\ndata: two\n\n", received.ToString());
    }

    [Fact]
    public async Task A_replicas_Connection_close_closes_the_upstream_connection_and_not_the_clients()
    {
        // What a lame duck answers: Connection: close is hop-by-hop, for the proxy's pooled connection only.
        var backend = await BackendAsync(async context =>
        {
            context.Response.Headers.Connection = "close";
            await context.Response.WriteAsync("bye\n");
        });
        var ingress = await IngressAsync(null, backend.Endpoint("lameduck"));
        using var client = new KeepAliveClient();

        for (int i = 0; i < 5; i++)
        {
            using var response = await client.Http.GetAsync(ingress.Address);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(true, response.Headers.ConnectionClose);
        }
        Assert.Equal(1, client.Connections);
        Assert.Equal(5, backend.Connections);
    }

    [Fact]
    public async Task A_request_body_is_streamed_to_the_replica_intact_with_and_without_a_length()
    {
        var backend = await BackendAsync(async context =>
        {
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy);
            var chunked = context.Request.Headers.TransferEncoding.ToString();
            await context.Response.WriteAsync($"{context.Request.Method} {copy.Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(copy.ToArray()))} {context.Request.ContentType} {chunked}");
        });
        var ingress = await IngressAsync(null, backend.Endpoint("echo"));
        using var client = new KeepAliveClient();
        var payload = new byte[300_000];
        new Random(7).NextBytes(payload);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(payload));

        using var sized = new ByteArrayContent(payload);
        sized.Headers.ContentType = new("application/octet-stream");
        Assert.Equal($"POST 300000 {hash} application/octet-stream ", await (await client.Http.PostAsync(ingress.Address, sized)).Content.ReadAsStringAsync());

        using var unsized = new StreamContent(new NonSeekableStream(payload));
        unsized.Headers.ContentType = new("application/octet-stream");
        Assert.Equal($"PUT 300000 {hash} application/octet-stream chunked", await (await client.Http.PutAsync(ingress.Address, unsized)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_WebSocket_is_relayed_and_ends_abnormally_for_the_client_when_the_replica_process_dies()
    {
        var dll = HelloServiceSample.LocateOrBuild(TextWriter.Null);
        int port = FreePort.Next();
        using var replica = Replica.Start(new ReplicaTemplate(["dotnet", dll, "--urls", "http://127.0.0.1:{port}", "--graceful", "false"],
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" }), "ws", port, _dir.Path);
        Assert.True(await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(60), default), "HelloService did not start: " + replica.LogTail());
        var ingress = await IngressAsync(null, new Endpoint("ws", port));

        using var ws = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{ingress.Address.Port}/ws"), timeout.Token);
        var buffer = new byte[1024];
        foreach (var text in new[] { "hello", "through the ingress" })
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var echo = await ws.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(text, Encoding.UTF8.GetString(buffer, 0, echo.Count));
        }

        replica.KillGroup();
        // No close frame can come from a dead process, and the ingress must not make one up: the session ends abnormally.
        var ended = await Assert.ThrowsAsync<WebSocketException>(async () => await ws.ReceiveAsync(buffer, timeout.Token));
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, ended.WebSocketErrorCode);
        Assert.Equal(WebSocketState.Aborted, ws.State);
    }

    [Fact]
    public async Task A_WebSocket_whose_replica_connection_is_reset_is_reset_for_the_client_too()
    {
        var backend = await BackendAsync(async context =>
        {
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            await ws.ReceiveAsync(new byte[64], default);
            // The replica's connection is reset mid-session (SO_LINGER 0: a RST, no close frame, no FIN).
            var socket = context.Features.Get<IConnectionSocketFeature>()!.Socket;
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
        });
        var ingress = await IngressAsync(null, backend.Endpoint("ws"));

        using var ws = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{ingress.Address.Port}/"), timeout.Token);
        await ws.SendAsync("bye"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var ended = await Assert.ThrowsAsync<WebSocketException>(async () => await ws.ReceiveAsync(new byte[64], timeout.Token));
        // A reset, not an orderly end of stream: the client's socket read failed with ECONNRESET.
        var reset = ended.InnerException?.InnerException as SocketException ?? ended.InnerException as SocketException;
        Assert.True(reset?.SocketErrorCode == SocketError.ConnectionReset, ended.ToString());
    }

    [Fact]
    public async Task Disposing_stops_listening_and_closes_the_upstream_connections()
    {
        var backend = await BackendAsync();
        var ingress = new L7Ingress(retries: false);
        await ingress.StartAsync(_dir.Path, default);
        await ingress.AddEndpointAsync(backend.Endpoint("r1"), default);
        using (var client = new KeepAliveClient()) Assert.Equal(backend.Port, await client.GetPortAsync(ingress.Address));
        Assert.Equal(1, backend.OpenConnections);

        await ingress.DisposeAsync();
        await ProcessAssert.PortsFreeAsync([ingress.Address.Port]);
        await ProcessAssert.EventuallyAsync(() => backend.OpenConnections == 0, TimeSpan.FromSeconds(10), "upstream connections closed");
    }

    /// <summary>An HttpClient over one keep-alive connection at a time that counts the connections it opens.</summary>
    private sealed class KeepAliveClient : IDisposable
    {
        private int _connections;

        public KeepAliveClient() => Http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = 1,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                Interlocked.Increment(ref _connections);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromSeconds(20) };

        public HttpClient Http { get; }

        public int Connections => Volatile.Read(ref _connections);

        public async Task<(HttpStatusCode Status, int Port)> GetAsync(Uri uri)
        {
            using var response = await Http.GetAsync(uri);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, body.StartsWith("port ", StringComparison.Ordinal) ? int.Parse(body[5..].Trim()) : 0);
        }

        public async Task<int> GetPortAsync(Uri uri)
        {
            var (status, port) = await GetAsync(uri);
            Assert.Equal(HttpStatusCode.OK, status);
            return port;
        }

        public void Dispose() => Http.Dispose();
    }

    /// <summary>A body whose length the client cannot know: it is sent chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
