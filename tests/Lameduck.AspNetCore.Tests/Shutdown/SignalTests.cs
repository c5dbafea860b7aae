using System.Diagnostics;
using System.Net;
using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.AspNetCore.Tests.Shutdown;

/// <summary>Which signals start the sequence, what a second one does, and what a bad budget does at start-up.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class SignalTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(SignalTable.SIGINT, "SIGINT")]
    [InlineData(SignalTable.SIGQUIT, "SIGQUIT")]
    public async Task SIGINT_and_SIGQUIT_start_the_same_window(int signal, string name)
    {
        var (service, _) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:01",
        });
        await using var __ = service;

        service.Signal(signal);
        await service.WaitForLineAsync(l => l.Contains($"{name} received: lame duck", StringComparison.Ordinal), Generous);
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
        // The same 1 s window as SIGTERM's (the library's clock), not the runtime's default stop at once.
        Assert.Contains("(delay elapsed)", service.Output, StringComparison.Ordinal);
        Assert.InRange(LogFigures.Ms(service.Output, "Draining after"), 1000, 1750);
    }

    [Fact]
    public async Task Second_SIGTERM_stops_at_once()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__GracePeriod"] = "00:02:00",
            ["Lameduck__Delay"] = "00:01:00",
        });
        await using var _ = service;

        service.Signal(SignalTable.SIGTERM);
        await LameDuckWindowTests.WaitForReadinessAsync(baseAddress, HttpStatusCode.ServiceUnavailable, new CancellationTokenSource(Generous).Token);
        var sinceSecond = Stopwatch.StartNew();
        service.Signal(SignalTable.SIGTERM);

        var exitCode = await service.WaitForExitAsync(Generous);
        Assert.Equal(128 + SignalTable.SIGTERM, exitCode);
        // The window had 60 s left and the drain would have 58 s; "at once" is a process exit, well under a second
        // on an idle machine: 5 s allows a loaded one and still fails any path that waits for the window or a drain.
        Assert.True(sinceSecond.Elapsed < TimeSpan.FromSeconds(5), $"took {sinceSecond.Elapsed}");
        Assert.Contains("Second SIGTERM received: stopping now", service.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lameduck__Delay", "00:00:40", "PreStop (0s) + Delay (40s) + SafetyMargin (2s) = 42s does not fit in GracePeriod (30s)")]
    [InlineData("Lameduck__PreStop", "00:00:28", "PreStop (28s) + Delay (5s) + SafetyMargin (2s) = 35s does not fit in GracePeriod (30s)")]
    [InlineData("Lameduck__Delay", "-00:00:01", "Delay (-1s) must not be negative")]
    [InlineData("Lameduck__MinDelay", "00:00:09", "MinDelay (9s) must not be longer than Delay (5s)")]
    [InlineData("Lameduck__Delay", "soon", "'soon' at 'Lameduck:Delay'")]
    public async Task Impossible_budget_fails_start_up_with_a_message_naming_the_options_and_numbers(string key, string value, string expected)
    {
        await using var service = ChildProcess.Start(RepoPaths.Sample("HelloService"),
            ["--urls", "http://127.0.0.1:0", "--graceful", "true"], new Dictionary<string, string> { [key] = value });

        var exitCode = await service.WaitForExitAsync(Generous);
        Assert.NotEqual(0, exitCode);
        Assert.Contains(expected, service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", service.Output, StringComparison.Ordinal);
    }
}
