using System.Net;
using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.AspNetCore.Tests.Shutdown;

/// <summary>Issue 2, step 1: during the window the server keeps serving, says Connection: close, and readiness fails.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class LameDuckWindowTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Request_during_the_window_succeeds_with_connection_close_and_the_server_closes_that_connection()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:20",
        });
        await using var _ = service;
        using var cts = new CancellationTokenSource(Generous);

        // A pooled keep-alive connection, as an ingress upstream pool holds one.
        using var pooled = await RawHttpConnection.ConnectAsync(baseAddress, cts.Token);
        var before = await pooled.GetAsync("/", cts.Token);
        Assert.Equal(200, before.StatusCode);
        Assert.False(before.ConnectionClose, "no Connection: close while serving");

        service.Signal(SignalTable.SIGTERM);
        await WaitForReadinessAsync(baseAddress, HttpStatusCode.ServiceUnavailable, cts.Token);

        var during = await pooled.GetAsync("/", cts.Token);
        Assert.Equal(200, during.StatusCode);
        Assert.Equal("hello world", during.Body);
        Assert.True(during.ConnectionClose, "responses in the window carry Connection: close");
        Assert.True(await pooled.ClosedByServerWithinAsync(TimeSpan.FromSeconds(10)), "the server closes the connection after that response");

        // New connections are still accepted and served during the window.
        using var fresh = await RawHttpConnection.ConnectAsync(baseAddress, cts.Token);
        var onFresh = await fresh.GetAsync("/", cts.Token);
        Assert.Equal(200, onFresh.StatusCode);
        Assert.True(onFresh.ConnectionClose);
    }

    [Fact]
    public async Task On_an_IPv6_listener_the_window_says_connection_close_and_then_the_listener_closes()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:03",
        }, urls: "http://[::1]:0");
        await using var _ = service;
        Assert.Equal("[::1]", baseAddress.Host);
        using var cts = new CancellationTokenSource(Generous);

        using var pooled = await RawHttpConnection.ConnectAsync(baseAddress, cts.Token);
        Assert.False((await pooled.GetAsync("/", cts.Token)).ConnectionClose);
        service.Signal(SignalTable.SIGTERM);
        await WaitForReadinessAsync(baseAddress, HttpStatusCode.ServiceUnavailable, cts.Token);

        var during = await pooled.GetAsync("/", cts.Token);
        Assert.Equal(200, during.StatusCode);
        Assert.True(during.ConnectionClose, "responses in the window carry Connection: close on IPv6 too");
        await service.WaitForLineAsync(l => l.Contains("Draining after", StringComparison.Ordinal), Generous);
        // The listener closes when the drain starts; poll until a connect is refused (a connect that races the
        // close is reset, not refused: the poll goes on past it, as DrainTests' does).
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, await DrainTests.ConnectUntilRefusedAsync(baseAddress, Generous));
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
    }

    [Fact]
    public async Task Readiness_fails_and_liveness_passes_during_the_window()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:20",
        });
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var cts = new CancellationTokenSource(Generous);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/ready", cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live", cts.Token)).StatusCode);

        service.Signal(SignalTable.SIGTERM);
        await WaitForReadinessAsync(baseAddress, HttpStatusCode.ServiceUnavailable, cts.Token);

        var ready = await http.GetAsync("/healthz/ready", cts.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith("not ready: lame duck", await ready.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live", cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/", cts.Token)).StatusCode);
    }

    [Fact]
    public async Task KeepServing_keeps_readiness_at_200_during_the_window()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:20",
            ["Lameduck__Readiness"] = "KeepServing",
        });
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var cts = new CancellationTokenSource(Generous);

        service.Signal(SignalTable.SIGTERM);
        await service.WaitForLineAsync(l => l.Contains("SIGTERM received: lame duck", StringComparison.Ordinal), Generous);

        var ready = await http.GetAsync("/healthz/ready", cts.Token);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("ready: lame duck", await ready.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);
        Assert.Contains("close", ready.Headers.Connection);
    }

    [Fact]
    public async Task QuietPeriod_ends_the_window_early_when_no_request_arrives()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__GracePeriod"] = "00:01:00",
            ["Lameduck__Delay"] = "00:00:40",
            ["Lameduck__MinDelay"] = "00:00:00.500",
            ["Lameduck__QuietPeriod"] = "00:00:01",
        });
        await using var __ = service;
        using var http = new HttpClient { BaseAddress = baseAddress };

        // One request, then the signal: the quiet clock runs from that arrival, so the window ends 1 s after it
        // (later than MinDelay 0.5 s), not at MinDelay and not at Delay 40 s.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        var answered = System.Diagnostics.Stopwatch.StartNew();
        var signalled = System.Diagnostics.Stopwatch.StartNew();
        service.Signal(SignalTable.SIGTERM);
        var signalAfterRequest = answered.Elapsed;
        var drain = await service.WaitForLineAsync(l => l.Contains("Draining after", StringComparison.Ordinal), TimeSpan.FromSeconds(45));
        Assert.Contains("quiet period elapsed", drain, StringComparison.Ordinal);
        // The library's clock counts from the signal: 1 s after the request is 1 s − (signal − request) after it;
        // 750 ms on top covers the window's timer waking late on a loaded machine.
        Assert.InRange(LogFigures.Ms(drain, "Draining after"), 1000 - signalAfterRequest.TotalMilliseconds - 50, 1750);
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(5), $"exited {signalled.Elapsed} after SIGTERM; the window ends about 1 s in");
    }

    [Fact]
    public async Task QuietPeriod_does_not_end_the_window_under_steady_traffic()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:04",
            ["Lameduck__MinDelay"] = "00:00:00.500",
            ["Lameduck__QuietPeriod"] = "00:00:02",
        });
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var stop = new CancellationTokenSource();

        service.Signal(SignalTable.SIGTERM);
        await service.WaitForLineAsync(l => l.Contains("SIGTERM received", StringComparison.Ordinal), Generous);
        // A request every 100 ms: far more often than the 2 s quiet period.
        var traffic = Task.Run(async () =>
        {
            var served = 0;
            while (!stop.IsCancellationRequested && !service.HasExited)
            {
                try
                {
                    if ((await http.GetAsync("/", stop.Token)).IsSuccessStatusCode) served++;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    break; // listener closed: the window is over
                }
                await Task.Delay(100, CancellationToken.None);
            }
            return served;
        });
        var drain = await service.WaitForLineAsync(l => l.Contains("Draining after", StringComparison.Ordinal), Generous);
        await stop.CancelAsync();
        Assert.Contains("delay elapsed", drain, StringComparison.Ordinal);
        Assert.True(await traffic > 5, "traffic flowed during the window");
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
    }

    internal static async Task WaitForReadinessAsync(Uri baseAddress, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((await http.GetAsync("/healthz/ready", cancellationToken)).StatusCode == expected)
            {
                return;
            }
            await Task.Delay(20, cancellationToken);
        }
    }
}
