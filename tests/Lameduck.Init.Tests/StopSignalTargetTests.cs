using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>
/// Whom the stop signal goes to. A preset server's own binary is a master that relays its graceful signal to its
/// workers, so it gets the signal alone; a worker that got it twice, directly and relayed, can die of the second
/// (HAProxy's -W worker, once its soft stop is done: exit 138, found by the lab's proof matrix). Anything else gets
/// it with its whole process group (a shell that does not exec relays nothing).
/// </summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class StopSignalTargetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <summary>
    /// A master that behaves like HAProxy's: on USR1 it relays USR1 to its worker 200 ms later; the worker, on its
    /// first USR1, finishes (restoring the default action, as a process on its way out does) and exits cleanly
    /// 300 ms later, leaving a file behind. A second USR1 in those 300 ms kills it, and the master then exits 1.
    /// Run through a link named <paramref name="program"/> to /bin/sh, so that the kernel names the process so.
    /// </summary>
    private string[] Master(string program)
    {
        var link = _dir.File(program);
        File.CreateSymbolicLink(link, "/bin/sh");
        var script = _dir.Write("master.sh", """
            dir=$1
            worker() {
                trap 'trap - USR1; sleep 0.3; : > "$dir/worker-finished"; exit 0' USR1
                while :; do sleep 0.02; done
            }
            worker & w=$!
            trap 'sleep 0.2; kill -USR1 "$w" 2>/dev/null' USR1
            : > "$dir/ready"
            while kill -0 "$w" 2>/dev/null; do wait "$w"; done
            [ -e "$dir/worker-finished" ]
            """);
        return [link, script, _dir.Path];
    }

    [Fact]
    public void A_preset_servers_master_alone_gets_the_stop_signal_so_its_worker_gets_it_once()
    {
        using var run = SupervisedRun.Init(["--preset", "haproxy", "--delay", "0s", "--grace-period", "30s", "--", .. Master("haproxy")]);
        Wait.Until(() => File.Exists(_dir.File("ready")), TimeSpan.FromSeconds(30), () => "the master to start its worker\n" + run.StderrText);

        run.Signal(SignalTable.SIGTERM);

        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(30)) == 0, "the worker got USR1 twice and died of the second\n" + run.StderrText);
        Assert.True(File.Exists(_dir.File("worker-finished")), run.StderrText);
        Assert.Contains("sent SIGUSR1 to haproxy (pid ", run.StderrText);
    }

    [Fact]
    public void A_program_that_is_not_the_presets_server_gets_it_with_its_process_group()
    {
        // The same script under another name: for lameduck-init a wrapper in front of the server, which may relay
        // nothing, so the group gets the signal (the worker then gets it twice; the exit code is not asserted: on a
        // starved machine the two may arrive before the worker runs its trap and count as one).
        using var run = SupervisedRun.Init(["--preset", "haproxy", "--delay", "0s", "--grace-period", "30s", "--", .. Master("wrapper")]);
        Wait.Until(() => File.Exists(_dir.File("ready")), TimeSpan.FromSeconds(30), () => "the master to start its worker\n" + run.StderrText);

        run.Signal(SignalTable.SIGTERM);

        run.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.Contains("sent SIGUSR1 to process group ", run.StderrText);
    }

    public void Dispose() => _dir.Dispose();
}
