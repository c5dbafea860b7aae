using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab;

[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class PodTerminatorTests : IDisposable
{
    private readonly LabTempDir _dir = new();
    private readonly List<Replica> _replicas = [];

    public void Dispose()
    {
        foreach (var r in _replicas) r.Dispose();
        _dir.Dispose();
    }

    private async Task<Replica> StartAsync(params string[] flags)
    {
        int port = FreePort.Next();
        var replica = Replica.Start(new ReplicaTemplate(StandInServer.Command(flags), new Dictionary<string, string>()), "r" + (_replicas.Count + 1), port, _dir.Path);
        _replicas.Add(replica);
        Assert.True(await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(20), default), "stand-in did not start");
        return replica;
    }

    [Fact]
    public async Task Endpoint_removal_and_the_stop_signal_race_neither_waits_for_the_other()
    {
        var replica = await StartAsync();
        var events = new LabEventLog();
        TimeSpan? removedAt = null;
        var terminator = new PodTerminator(new TerminationSettings(TimeSpan.FromSeconds(30), null, SignalTable.SIGTERM), events);

        var t = await terminator.TerminateAsync(replica, TimeSpan.FromSeconds(1.5), _ => { removedAt = events.Now; return Task.CompletedTask; }, default);

        Assert.False(t.Killed);
        Assert.Equal(128 + SignalTable.SIGTERM, t.ExitCode);
        // SIGTERM goes out at once: the app is already gone while the ingress still routes to it.
        Assert.True(t.SignalSentAt - t.TerminatingAt < TimeSpan.FromSeconds(1), $"signal after {t.SignalSentAt - t.TerminatingAt}");
        Assert.True(t.ExitedAt < t.EndpointRemovedAt, "the baseline app exits before its endpoint is removed: that window is where requests fail");
        // The exit's time is the replica's own stamp (taken when its pidfd turned readable), not when this ran.
        Assert.Equal(events.TimeOf(replica.ExitTimestamp), t.ExitedAt);
        Assert.InRange((t.EndpointRemovedAt!.Value - t.TerminatingAt).TotalSeconds, 1.5, 3); // the 1.5 s propagation, not a multiple of it
        Assert.NotNull(removedAt);
        var kinds = events.Snapshot().Select(e => e.Kind).ToArray();
        Assert.Equal([LabEventKind.Terminating, LabEventKind.SignalSent, LabEventKind.Exited, LabEventKind.EndpointRemoved], kinds);
    }

    [Fact]
    public async Task An_app_that_ignores_SIGTERM_is_killed_when_the_grace_period_counted_from_deletion_runs_out()
    {
        var replica = await StartAsync("--ignore-term");
        var events = new LabEventLog();
        var terminator = new PodTerminator(new TerminationSettings(TimeSpan.FromSeconds(3), new PreStopHook.Sleep(TimeSpan.FromSeconds(1)), SignalTable.SIGTERM), events);

        var t = await terminator.TerminateAsync(replica, TimeSpan.Zero, _ => Task.CompletedTask, default);

        Assert.True(t.Killed);
        Assert.Equal(128 + SignalTable.SIGKILL, t.ExitCode);
        // The preStop (at least 1 s) is part of the 3 s grace period: SIGKILL comes ~3 s after deletion,
        // so SIGTERM->exit is the grace period minus however long the preStop took.
        Assert.InRange((t.ExitedAt - t.TerminatingAt).TotalSeconds, 2.9, 4.5); // SIGKILL at the 3 s grace period, then the reap
        Assert.True(t.SignalSentAt - t.TerminatingAt >= TimeSpan.FromSeconds(1));
        Assert.True(t.SignalToExit <= t.ExitedAt - t.TerminatingAt - TimeSpan.FromSeconds(1), $"SIGTERM->exit {t.SignalToExit}: the grace period must count from deletion, not from SIGTERM");
        Assert.Contains(events.Snapshot(), e => e.Kind == LabEventKind.Killed && e.Subject == replica.Name);
    }

    [Fact]
    public async Task PreStop_sleep_delays_the_signal_and_a_lame_duck_app_exits_by_itself()
    {
        var replica = await StartAsync("--term-delay", "1");
        var events = new LabEventLog();
        var terminator = new PodTerminator(new TerminationSettings(TimeSpan.FromSeconds(30), new PreStopHook.Sleep(TimeSpan.FromSeconds(1)), SignalTable.SIGTERM), events);

        var t = await terminator.TerminateAsync(replica, TimeSpan.FromMilliseconds(200), _ => Task.CompletedTask, default);

        Assert.False(t.Killed);
        Assert.Equal(0, t.ExitCode);
        Assert.True(t.SignalSentAt - t.TerminatingAt >= TimeSpan.FromSeconds(1), "the stop signal comes after the preStop hook");
        Assert.InRange(t.SignalToExit!.Value.TotalSeconds, 0.9, 10);
    }

    [Fact]
    public async Task PreStop_exec_runs_with_the_replicas_port_and_an_overrun_gets_the_kubelets_last_two_seconds()
    {
        var replica = await StartAsync("--ignore-term");
        var marker = Path.Combine(_dir.Path, "prestop-ran");
        var hook = new PreStopHook.Exec(["/bin/sh", "-c", $"echo {{port}} $PORT > {marker}; exec sleep 60"]);
        var events = new LabEventLog();
        var terminator = new PodTerminator(new TerminationSettings(TimeSpan.FromSeconds(1), hook, SignalTable.SIGTERM), events);

        var t = await terminator.TerminateAsync(replica, TimeSpan.Zero, _ => Task.CompletedTask, default);

        Assert.Equal($"{replica.Port} {replica.Port}", (await File.ReadAllTextAsync(marker)).Trim());
        Assert.Contains(events.Snapshot(), e => e.Kind == LabEventKind.PreStopDone && e.Detail.Contains("cut short"));
        Assert.True(t.Killed);
        Assert.InRange(t.SignalToExit!.Value.TotalSeconds, 1.9, 7);
    }
}
