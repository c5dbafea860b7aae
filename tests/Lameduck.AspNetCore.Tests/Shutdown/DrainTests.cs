using System.Diagnostics;
using System.Net.Sockets;
using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.AspNetCore.Tests.Shutdown;

/// <summary>Issue 2, steps 3 and 4: the drain finishes in-flight work, refuses new connections, aborts at the deadline, exits 0.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class DrainTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Request_in_flight_when_SIGTERM_arrives_completes_with_200_and_the_process_exits_0()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:01",
            ["Lameduck__MinDelay"] = "00:00:00",
        });
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Generous };

        var slow = http.GetAsync("/?sleep=3000");
        await WaitForInFlightAsync(baseAddress, 1);
        service.Signal(SignalTable.SIGTERM);

        using var response = await slow;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("hello world", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
        Assert.Contains("0 aborted", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_window_new_connections_are_refused()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:01",
            ["Lameduck__MinDelay"] = "00:00:00",
        });
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Generous };

        // A long request keeps the process in its drain while the test knocks on the closed listener.
        var slow = http.GetAsync("/?sleep=8000");
        await WaitForInFlightAsync(baseAddress, 1);
        service.Signal(SignalTable.SIGTERM);
        await service.WaitForLineAsync(l => l.Contains("Draining after", StringComparison.Ordinal), Generous);

        var refused = await ConnectUntilRefusedAsync(baseAddress, Generous);
        Assert.Equal(SocketError.ConnectionRefused, refused);
        Assert.False(service.HasExited, "still draining the slow request while refusing new connections");
        Assert.Equal(200, (int)(await slow).StatusCode);
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
    }

    [Fact]
    public async Task Handler_that_ignores_cancellation_is_aborted_at_the_deadline_and_the_process_exits_before_the_grace_period()
    {
        // Budget: 10 s grace, 1 s window, 3 s margin -> the drain deadline is 6 s after the window, 7 s after
        // SIGTERM. The margin covers what follows the deadline: Kestrel's fixed 1 s wait for aborted
        // connections and the process exit (a few hundred ms on a busy machine).
        var grace = TimeSpan.FromSeconds(10);
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__GracePeriod"] = "00:00:10",
            ["Lameduck__Delay"] = "00:00:01",
            ["Lameduck__MinDelay"] = "00:00:00",
            ["Lameduck__SafetyMargin"] = "00:00:03",
        });
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };

        var stuck = http.GetAsync("/?sleep=120000");
        await WaitForInFlightAsync(baseAddress, 1);
        var sinceSignal = Stopwatch.StartNew();
        service.Signal(SignalTable.SIGTERM);

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var signalToExit = sinceSignal.Elapsed;
        Assert.Equal(0, exitCode);
        Assert.True(signalToExit < grace, $"SIGTERM to exit took {signalToExit}, the grace period is {grace}");
        Assert.True(signalToExit > TimeSpan.FromSeconds(6), $"it waited for the deadline (took {signalToExit})");
        Assert.Contains("1 still in flight are aborted", service.Output, StringComparison.Ordinal);
        Assert.Contains("1 aborted", service.Output, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => stuck);
    }

    [Fact]
    public async Task Idle_server_exits_0_right_after_the_window()
    {
        var (service, _) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:01",
        });
        await using var __ = service;

        var sinceSignal = Stopwatch.StartNew();
        service.Signal(SignalTable.SIGTERM);
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
        Assert.True(sinceSignal.Elapsed >= TimeSpan.FromSeconds(1), "the window lasted Delay");
        // Nothing to drain: the process is gone soon after the 1 s window, not at the drain deadline (27 s here)
        // nor after any fixed wait of the host's. 3 s covers a host stop and a process exit on a loaded machine.
        Assert.True(sinceSignal.Elapsed < TimeSpan.FromSeconds(4), $"exited {sinceSignal.Elapsed} after SIGTERM, not right after the 1 s window");
        // The library's own clock: the drain started when the 1 s window ended and took next to nothing.
        Assert.InRange(LogFigures.Ms(service.Output, "Draining after"), 1000, 1750);
        Assert.InRange(LogFigures.Ms(service.Output, "(drain"), 0, 1000);
        Assert.Contains("0 aborted", service.Output, StringComparison.Ordinal);
    }

    /// <summary>Waits until HelloService's readiness body reports <paramref name="count"/> requests in flight.</summary>
    internal static async Task WaitForInFlightAsync(Uri baseAddress, int count)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var cts = new CancellationTokenSource(Generous);
        while (!(await http.GetStringAsync("/healthz/ready", cts.Token)).Contains($", {count} in flight", StringComparison.Ordinal))
        {
            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>
    /// Connects every 20 ms until a connect fails other than by a reset, and returns that error (Success when
    /// <paramref name="timeout"/> passes first): ConnectionRefused once the listener is closed.
    /// </summary>
    internal static async Task<SocketError> ConnectUntilRefusedAsync(Uri baseAddress, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = await RawHttpConnection.ConnectAsync(baseAddress, CancellationToken.None);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // A connection the kernel had queued for the listener as Kestrel closed it is reset, not refused:
                // the listener's last moment (seen in full runs, 2026-12-05, here and in LameDuckWindowTests' IPv6
                // case: .NET reads the reset that follows an accepted handshake as the connect's own error).
                // The next attempt must be refused.
            }
            catch (SocketException e)
            {
                return e.SocketErrorCode;
            }
            if (deadline.Elapsed > timeout)
            {
                return SocketError.Success;
            }
            await Task.Delay(20);
        }
    }
}
