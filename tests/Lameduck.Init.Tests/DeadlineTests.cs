using System.Diagnostics;
using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>An app still running at grace period − margin (counted from SIGTERM) is SIGKILLed with its whole process group.</summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class DeadlineTests
{
    [Fact]
    public void An_app_that_ignores_every_signal_is_killed_at_grace_minus_margin()
    {
        using var dir = new TempDirectory();
        var ready = dir.File("ready");
        // Ignored dispositions survive exec, so the sleeps it starts ignore every signal too.
        var stubborn = $"trap '' HUP INT QUIT USR1 USR2 WINCH TERM; touch {ready}; while :; do sleep 1; done";
        // grace 4s − margin 2s: the kill is due 2 s after TERM; a supervisor that waited for the whole grace period
        // (the kubelet's SIGKILL would then come first) would kill at 4 s, outside the bounds below.
        using var run = SupervisedRun.Init(["--delay", "500ms", "--grace-period", "4s", "--margin", "2s", "--", "sh", "-c", stubborn]);
        int group = run.AppPid;
        Wait.Until(() => File.Exists(ready), TimeSpan.FromSeconds(30), () => "the app to ignore its signals");

        var sent = Stopwatch.StartNew();
        run.Signal(SignalTable.SIGTERM);
        int code = run.WaitForExit(TimeSpan.FromSeconds(60));
        var exited = sent.Elapsed;

        Assert.Equal(137, code);
        Assert.True(exited >= TimeSpan.FromSeconds(2), $"exited {exited.TotalMilliseconds:0} ms after TERM, before grace 4s − margin 2s");
        // Seen from outside: gone well before the grace period ends (4 s), with a second for a busy machine's scheduling.
        Assert.True(exited < TimeSpan.FromSeconds(3.5), $"exited {exited.TotalMilliseconds:0} ms after TERM: not killed at grace − margin (2 s)");
        // lameduck-init's own clock (ms since TERM on its log line): its timer fires on time, give or take a loaded core's wake-up.
        Assert.InRange(run.ElapsedMsOf("kill"), 2000, 3000);
        Assert.Contains("killed at the deadline", run.WaitForLine(" exit: "));
        Wait.Until(() => ProcTable.InGroup(group).Count == 0, TimeSpan.FromSeconds(30),
            () => $"the app's process group {group} to be gone; left: {ProcTable.InGroup(group).Count}");
    }
}
