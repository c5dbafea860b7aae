using Lameduck.Init.Tests.Support;

namespace Lameduck.Init.Tests;

/// <summary>As a child subreaper (PID 1 does the same), lameduck-init reaps orphaned grandchildren.</summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class ReapingTests
{
    [Fact]
    public void A_thousand_orphaned_grandchildren_are_all_reaped()
    {
        using var dir = new TempDirectory();
        string fifo = dir.File("fifo"), spawned = dir.File("spawned"), release = dir.File("release"), go = dir.File("go");
        // An inner shell starts 1,000 cats reading a FIFO and exits at once: the cats are orphans, re-parented
        // to the nearest subreaper. They block until the app closes the FIFO's last write end (fd 3), so they
        // all outlive the inner shell, and all exit at once when the test says so.
        var script = $$"""
            mkfifo {{fifo}}
            exec 3<>{{fifo}} 4<{{fifo}}
            sh -c 'i=0; while [ $i -lt 1000 ]; do cat <&4 3>&- >/dev/null & i=$((i+1)); done'
            exec 4<&-
            touch {{spawned}}
            while [ ! -e {{release}} ]; do sleep 0.05; done
            exec 3>&-
            while [ ! -e {{go}} ]; do sleep 0.05; done
            exit 7
            """;
        using var run = SupervisedRun.Init(["--", "sh", "-c", script]);
        int appPid = run.AppPid;
        Wait.Until(() => File.Exists(spawned), TimeSpan.FromSeconds(120), () => "the app to start 1,000 background cats");

        int Orphans() => ProcTable.ChildrenOf(run.Pid).Count(c => c.Pid != appPid);
        Wait.Until(() => Orphans() == 1000, TimeSpan.FromSeconds(60),
            () => $"the 1,000 orphans to be re-parented to lameduck-init; it has {Orphans()}");
        File.WriteAllText(release, "");

        // Once every orphan has exited and been reaped, only the app (and perhaps its own short sleep) are
        // lameduck-init's children. A zombie would still be listed here, with state Z.
        Wait.Until(() => Orphans() == 0, TimeSpan.FromSeconds(120),
            () => $"lameduck-init to reap its orphans; {Orphans()} remain " +
                  $"({ProcTable.ChildrenOf(run.Pid).Count(c => c.State == 'Z')} zombies)");
        File.WriteAllText(go, "");

        Assert.Equal(7, run.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("; 1000 orphaned processes reaped", run.WaitForLine(" exit: "));
    }

    [Fact]
    public void Lameduck_init_runs_as_a_child_subreaper_when_not_PID_1()
    {
        using var run = SupervisedRun.Init(["--", "true"]);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("child subreaper", run.WaitForLine(" start: "));
    }
}
