using System.Diagnostics;
using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>After SIGTERM the app keeps running for --delay before it gets the stop signal.</summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class DelayTests
{
    [Fact]
    public void The_stop_signal_comes_no_sooner_than_the_delay()
    {
        var delay = TimeSpan.FromSeconds(2);
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(["--stop-signal", "QUIT", "--delay", "2s", "--", .. recorder.Command]);
        recorder.WaitUntilReady();

        var sent = Stopwatch.StartNew();
        run.Signal(SignalTable.SIGTERM);
        recorder.WaitFor("QUIT", TimeSpan.FromSeconds(60));
        var seen = sent.Elapsed;

        // The app saw QUIT after we sent TERM + delay (lower bound exact); nothing before it.
        Assert.True(seen >= delay, $"QUIT arrived {seen.TotalMilliseconds:0} ms after TERM, before the {delay.TotalSeconds}s delay");
        Assert.Equal(["QUIT"], recorder.Received);
        // lameduck-init's own clock: the stop signal is due at 2 s; 750 ms covers a loaded core's wake-up, and a window
        // that lasted longer than asked (e.g. a delay counted twice, or from the wrong moment) falls outside.
        Assert.InRange(run.ElapsedMsOf("stop"), 2000, 2750);
        Assert.True(seen < TimeSpan.FromSeconds(3), $"QUIT arrived {seen.TotalMilliseconds:0} ms after TERM, long after the 2s delay");
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_delay_can_come_from_LAMEDUCK_DELAY()
    {
        using var recorder = new SignalRecorder(exitOn: "TERM");
        using var run = SupervisedRun.Init(["--", .. recorder.Command], new Dictionary<string, string> { ["LAMEDUCK_DELAY"] = "1500ms" });
        recorder.WaitUntilReady();

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.InRange(run.ElapsedMsOf("stop"), 1500, 2250); // the variable's 1.5 s, not the default 5 s
        Assert.Contains("delay 1.5s", run.WaitForLine(" start: "));
    }

    [Fact]
    public void A_delay_shorter_than_the_default_min_delay_caps_it_with_a_drain_port()
    {
        // --min-delay defaults to 1 s, capped by a shorter --delay: a 600 ms window must start and end at 600 ms, not
        // be refused (or crash) for a min delay the user never wrote.
        int port = FreePort.Next();
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(["--stop-signal", "QUIT", "--delay", "600ms", "--drain-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--quiet-period", "200ms", "--", .. recorder.Command]);
        recorder.WaitUntilReady();
        Assert.Contains($"(drain port {port}: quiet period 200ms, min delay 600ms", run.WaitForLine(" start: "));

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(["QUIT"], recorder.Received);
        // Nothing arrives on the port: the window ends at the capped min delay, 600 ms (750 ms for a loaded core).
        Assert.InRange(run.ElapsedMsOf("stop"), 600, 1350);
    }

    [Fact]
    public void A_second_SIGTERM_during_the_delay_is_not_forwarded()
    {
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(["--stop-signal", "QUIT", "--delay", "1s", "--", .. recorder.Command]);
        recorder.WaitUntilReady();

        run.Signal(SignalTable.SIGTERM);
        run.WaitForLine(" shutdown: ");
        run.Signal(SignalTable.SIGTERM);
        run.WaitForLine("SIGTERM again");

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(["QUIT"], recorder.Received);
    }
}
