using System.Diagnostics;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab;

[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class ReplicaTests : IDisposable
{
    private readonly LabTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Replica_listens_on_its_port_in_its_own_process_group_and_logs_to_a_file()
    {
        int port = FreePort.Next();
        var template = new ReplicaTemplate(StandInServer.Command("--label", "{port}"), new Dictionary<string, string>());
        using var replica = Replica.Start(template, "r1", port, _dir.Path);

        Assert.True(await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(20), default), "the replica never listened on PORT");
        // /proc/PID/stat field 5 is the process group id: the replica leads its own group.
        var stat = (await File.ReadAllTextAsync($"/proc/{replica.Pid}/stat")).Split(") ")[1].Split(' ');
        Assert.Equal(replica.Pid.ToString(), stat[2]);
        var cmdline = (await File.ReadAllTextAsync($"/proc/{replica.Pid}/cmdline")).Split('\0');
        Assert.Contains(port.ToString(), cmdline); // {port} substituted in the arguments
        await ProcessAssert.EventuallyAsync(() => File.Exists(replica.LogPath) && File.ReadAllText(replica.LogPath).Contains($"listening on {port}"),
            TimeSpan.FromSeconds(10), "the replica's stdout in its log file");

        Assert.True(replica.Signal(SignalTable.SIGTERM));
        var code = await replica.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(128 + SignalTable.SIGTERM, code);
        await ProcessAssert.PortsFreeAsync([port]);
    }

    [Fact]
    public void A_pidfd_is_available_here_and_turns_readable_when_its_process_exits()
    {
        // What the replicas' exit times rest on (Linux 5.3+, glibc 2.36+); without it they fall back to .NET's notice.
        using var child = Process.Start("sleep", "0.3");
        var started = Stopwatch.GetTimestamp();
        int pidFd = PidFd.Open(child.Id);
        Assert.True(pidFd >= 0, "pidfd_open failed: the lab would stamp exits when .NET reaps them");
        Assert.True(PidFd.WaitAndClose(pidFd), "the wait on the pidfd failed");
        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(1.5));
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_exit_and_its_time_are_seen_while_every_thread_pool_thread_is_blocked()
    {
        // The exit is stamped by the replica's own thread when its pidfd turns readable, not by a continuation that a
        // busy lab (1,000 req/s on 2 cores) could leave queued. Here every pool thread is blocked and 200 more blockers
        // wait in the queue, the pool grows by a thread or two a second, and a probe queued behind them shows the pool
        // is still starved when the exit has been seen.
        var started = Stopwatch.GetTimestamp();
        using var replica = Replica.Start(new ReplicaTemplate(["sleep", "0.3"], new Dictionary<string, string>()), "r1", FreePort.Next(), _dir.Path);
        using var release = new ManualResetEventSlim();
        var blockers = Enumerable.Range(0, 200).Select(_ => Task.Run(() => release.Wait(TimeSpan.FromSeconds(30)))).ToArray();
        var probeRan = 0;
        ThreadPool.QueueUserWorkItem(_ => Volatile.Write(ref probeRan, 1));
        // Checked on this thread, which is not the pool's (an await would need a pool thread to come back).
        bool seen = SpinWait.SpinUntil(() => replica.Exited.IsCompleted, TimeSpan.FromSeconds(10));
        bool starved = Volatile.Read(ref probeRan) == 0;
        release.Set();
        await Task.WhenAll(blockers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(seen, "the exit was not seen while the pool was starved");
        Assert.True(starved, "the pool was not starved: the probe queued behind the blockers ran");
        Assert.Equal(0, await replica.Exited);
        // sleep 0.3 then exit: stamped 0.3 s after the start, plus the fork, exec and reaping on a busy machine.
        Assert.InRange(Stopwatch.GetElapsedTime(started, replica.ExitTimestamp), TimeSpan.FromSeconds(0.29), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Killing_the_group_also_kills_what_the_replica_spawned()
    {
        int port = FreePort.Next();
        var pidFile = Path.Combine(_dir.Path, "child.pid");
        var template = new ReplicaTemplate(StandInServer.Command("--ignore-term", "--child-pid-file", pidFile), new Dictionary<string, string>());
        var replica = Replica.Start(template, "r1", port, _dir.Path);
        await ProcessAssert.EventuallyAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Length > 0, TimeSpan.FromSeconds(20), "grandchild pid file");
        int grandchild = int.Parse(await File.ReadAllTextAsync(pidFile));
        Assert.True(ProcessSignals.Exists(grandchild));

        replica.Dispose();

        Assert.True(replica.HasExited);
        await ProcessAssert.AllGoneAsync([replica.Pid, grandchild]);
        await ProcessAssert.PortsFreeAsync([port]);
    }

    [Fact]
    public async Task A_command_that_fails_at_start_reports_its_exit_code_and_log()
    {
        using var replica = Replica.Start(new ReplicaTemplate(StandInServer.Command("--fail-start"), new Dictionary<string, string>()), "r1", FreePort.Next(), _dir.Path);
        Assert.Equal(3, await replica.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("failing on purpose", replica.LogTail());
    }
}
