using System.Net;
using System.Net.WebSockets;
using System.Text;
using Lameduck.Testing;

namespace Lameduck.AspNetCore.Tests.Sample;

/// <summary>HelloService's command line and endpoints, in both modes: the lab starts replicas exactly like this.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class HelloServiceContractTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Both_modes_serve_hello_sleep_probes_websocket_and_sse(bool graceful)
    {
        // POD_NAME as the lab (and Kubernetes' downward API) sets it: the session endpoints name the replica.
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful, new Dictionary<string, string> { ["POD_NAME"] = "r7" });
        await using var _ = service;
        using var cts = new CancellationTokenSource(Generous);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Generous };

        Assert.Equal("hello world", await http.GetStringAsync("/", cts.Token));
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("hello world", await http.GetStringAsync("/?sleep=300", cts.Token));
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(300), $"?sleep=300 answered after {started.Elapsed}");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/?sleep=-1", cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live", cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/ready", cts.Token)).StatusCode);

        using (var ws = new ClientWebSocket())
        {
            ws.Options.CollectHttpResponseDetails = true;
            await ws.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/ws"), cts.Token);
            Assert.Equal(["r7"], ws.HttpResponseHeaders!.Single(h => h.Key.Equals("X-Pod-Name", StringComparison.OrdinalIgnoreCase)).Value);
            await ws.SendAsync(Encoding.UTF8.GetBytes("echo me"), WebSocketMessageType.Text, true, cts.Token);
            var buffer = new byte[64];
            var echo = await ws.ReceiveAsync(buffer, cts.Token);
            Assert.Equal("echo me", Encoding.UTF8.GetString(buffer, 0, echo.Count));
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        }

        using (var sse = await http.GetAsync("/sse", HttpCompletionOption.ResponseHeadersRead, cts.Token))
        {
            Assert.Equal("text/event-stream", sse.Content.Headers.ContentType?.MediaType);
            Assert.Equal(["r7"], sse.Headers.GetValues("X-Pod-Name"));
            using var reader = new StreamReader(await sse.Content.ReadAsStreamAsync(cts.Token));
            Assert.Equal("data: tick 0", await reader.ReadLineAsync(cts.Token));
            Assert.Equal("", await reader.ReadLineAsync(cts.Token));
            Assert.Equal("data: tick 1", await reader.ReadLineAsync(cts.Token)); // a second later
        }

        // No per-request logging: the lab runs replicas at 1,000 req/s.
        Assert.DoesNotContain("Request starting", service.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maybe", "--graceful must be true or false, not 'maybe'")]
    [InlineData(null, "--graceful needs a value: true or false")]
    public async Task A_bad_graceful_flag_is_named_in_the_error(string? value, string expected)
    {
        string[] args = value is null ? ["--urls", "http://127.0.0.1:0", "--graceful"] : ["--urls", "http://127.0.0.1:0", "--graceful", value];
        await using var service = ChildProcess.Start(RepoPaths.Sample("HelloService"), args);
        Assert.Equal(2, await service.WaitForExitAsync(Generous));
        Assert.Contains(expected, service.Output, StringComparison.Ordinal);
    }
}
