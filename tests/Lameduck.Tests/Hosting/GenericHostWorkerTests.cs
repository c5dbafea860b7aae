using System.Diagnostics;
using System.Text.RegularExpressions;
using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.Tests.Hosting;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildProcessCollection
{
    public const string Name = "Child processes";
}

/// <summary>Issue 2, step 5: a worker service without ASP.NET Core gets the same sequence and the draining token.</summary>
[Collection(ChildProcessCollection.Name)]
public sealed partial class GenericHostWorkerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Worker_stops_pulling_when_the_window_starts_finishes_its_message_and_exits_0()
    {
        await using var worker = ChildProcess.Start(RepoPaths.Sample("HelloWorker"), ["--WorkMs", "1500"], new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:03",
        });
        await worker.WaitForLineAsync(l => l.Contains("Processing message 1", StringComparison.Ordinal), Generous);

        worker.Signal(SignalTable.SIGTERM);
        Assert.Equal(0, await worker.WaitForExitAsync(Generous));

        var lines = worker.Output.Split('\n');
        var signalLine = Array.FindIndex(lines, l => l.Contains("SIGTERM received: lame duck", StringComparison.Ordinal));
        Assert.True(signalLine >= 0, worker.Output);
        // The message in hand when the window started...
        var inHand = lines.Take(signalLine).Select(l => Processing().Match(l)).Last(m => m.Success).Groups[1].Value;
        Assert.Contains(lines.Skip(signalLine), l => l.Contains($"Finished message {inHand}", StringComparison.Ordinal));
        // ...is the last one: nothing was pulled after the window started.
        Assert.DoesNotContain(lines.Skip(signalLine), l => Processing().IsMatch(l));
        Assert.Contains(lines.Skip(signalLine), l => l.Contains("Stopped pulling (LameDuck)", StringComparison.Ordinal));
        Assert.Contains("1 in flight", lines[signalLine], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("0 aborted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Idle_worker_exits_after_the_window_and_no_earlier()
    {
        await using var worker = ChildProcess.Start(RepoPaths.Sample("HelloWorker"), ["--WorkMs", "100"], new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:02",
        });
        await worker.WaitForLineAsync(l => l.Contains("Finished message 1", StringComparison.Ordinal), Generous);

        var sinceSignal = Stopwatch.StartNew();
        worker.Signal(SignalTable.SIGTERM);
        Assert.Equal(0, await worker.WaitForExitAsync(Generous));
        Assert.True(sinceSignal.Elapsed >= TimeSpan.FromSeconds(2), $"exited {sinceSignal.Elapsed} after SIGTERM, before the 2 s window ended");
        // Idle but for a 100 ms message at most: gone right after the window, not at the drain deadline (21 s here).
        Assert.True(sinceSignal.Elapsed < TimeSpan.FromSeconds(5), $"exited {sinceSignal.Elapsed} after SIGTERM, long after the 2 s window");
        Assert.Contains("Draining after", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impossible_budget_fails_the_worker_start_up_with_a_clear_message()
    {
        await using var worker = ChildProcess.Start(RepoPaths.Sample("HelloWorker"), [], new Dictionary<string, string>
        {
            ["Lameduck__GracePeriod"] = "00:00:05",
        });
        Assert.Equal(2, await worker.WaitForExitAsync(Generous));
        Assert.Contains("PreStop (0s) + Delay (5s) + SafetyMargin (2s) = 7s does not fit in GracePeriod (5s)", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Processing message (\d+)")]
    private static partial Regex Processing();
}
