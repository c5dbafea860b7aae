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
