using Lameduck.Cli.Lab;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>
/// The lab's orchestration with real stand-in replicas and the default (l7) ingress, without load
/// (the load engine is verify's and is exercised by the end-to-end tests).
/// </summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class LabRunnerTests : IDisposable
{
    private readonly LabTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Func<Uri, CancellationToken, Task> Idle(double seconds) => (_, ct) => Task.Delay(TimeSpan.FromSeconds(seconds), ct);

    [Fact]
    public async Task Rolling_update_surges_one_waits_for_ready_then_terminates_one_and_leaves_nothing_behind()
    {
        var runner = new LabRunner(LabFactory.Settings(StandInServer.Command()), new LabEventLog());

        var result = await runner.RunAsync(Idle(2), default);

        Assert.False(result.Interrupted);
        var rollout = Assert.IsType<Lameduck.Cli.Lab.Rollout.RolloutResult>(result.Rollout);
        Assert.Null(rollout.Failure);
        Assert.NotNull(rollout.Duration);
        Assert.Equal(["r1", "r2", "r3"], rollout.Terminations.Select(t => t.Replica).Order());
        Assert.All(rollout.Terminations, t => Assert.False(t.Killed));
        var ev = result.Events;
        // maxSurge 1, maxUnavailable 0: new pod k is ready before old pod k is deleted, and old pod k has
        // exited before new pod k+1 starts (terminating pods count against the surge).
        for (int k = 0; k < 3; k++)
        {
            string newPod = "r" + (4 + k), oldPod = rollout.Terminations[k].Replica;
            var ready = ev.Single(e => e.Subject == newPod && e.Kind == LabEventKind.Ready).At;
            var deleted = ev.Single(e => e.Subject == oldPod && e.Kind == LabEventKind.Terminating).At;
            Assert.True(ready <= deleted, $"{oldPod} deleted before {newPod} was ready");
            if (k < 2)
            {
                var exited = ev.Single(e => e.Subject == oldPod && e.Kind == LabEventKind.Exited).At;
                var nextStarted = ev.Single(e => e.Subject == "r" + (5 + k) && e.Kind == LabEventKind.ReplicaStarted).At;
                Assert.True(exited <= nextStarted, $"r{5 + k} started before {oldPod} exited");
            }
        }
        Assert.Equal(6, result.ProcessIds.Count);
        await ProcessAssert.AllGoneAsync(result.ProcessIds);
        await ProcessAssert.PortsFreeAsync(result.Ports);
    }

    [Fact]
    public async Task MaxUnavailable_one_without_surge_deletes_first_and_never_runs_more_than_the_desired_count()
    {
        var events = new LabEventLog();
        int alive = 0, maxAlive = 0;
        events.Recorded += e =>
        {
            if (e.Kind == LabEventKind.ReplicaStarted) maxAlive = Math.Max(maxAlive, Interlocked.Increment(ref alive));
            if (e.Kind == LabEventKind.Exited) Interlocked.Decrement(ref alive);
        };
        var runner = new LabRunner(LabFactory.Settings(StandInServer.Command(), replicas: 2, maxSurge: 0, maxUnavailable: 1), events);

        var result = await runner.RunAsync(Idle(2), default);

        Assert.Null(result.Rollout!.Failure);
        Assert.Equal(2, maxAlive);
        var firstDeleted = result.Events.First(e => e.Kind == LabEventKind.Terminating).At;
        var firstNew = result.Events.Single(e => e.Subject == "r3" && e.Kind == LabEventKind.ReplicaStarted).At;
        Assert.True(firstDeleted < firstNew);
        await ProcessAssert.AllGoneAsync(result.ProcessIds);
    }

    [Fact]
    public async Task PreStop_sleep_makes_each_pod_cost_its_sleep_in_rollout_time()
    {
        var settings = LabFactory.Settings(StandInServer.Command(), preStop: new PreStopHook.Sleep(TimeSpan.FromSeconds(1)));
        var result = await new LabRunner(settings, new LabEventLog()).RunAsync(Idle(1), default);

        Assert.True(result.Rollout!.Duration >= TimeSpan.FromSeconds(3), $"rollout took {result.Rollout.Duration}");
        Assert.All(result.Rollout.Terminations, t => Assert.True(t.SignalSentAt - t.TerminatingAt >= TimeSpan.FromSeconds(1)));
        await ProcessAssert.AllGoneAsync(result.ProcessIds);
    }

    [Fact]
    public async Task An_app_that_ignores_SIGTERM_is_killed_at_the_grace_period_and_reported_killed()
    {
        var settings = LabFactory.Settings(StandInServer.Command("--ignore-term"), replicas: 2, grace: TimeSpan.FromSeconds(2));
        var result = await new LabRunner(settings, new LabEventLog()).RunAsync(Idle(1), default);

        Assert.Equal(2, result.Rollout!.Terminations.Count);
        Assert.All(result.Rollout.Terminations, t =>
        {
            Assert.True(t.Killed);
            Assert.Equal(128 + SignalTable.SIGKILL, t.ExitCode);
            Assert.InRange(t.SignalToExit!.Value.TotalSeconds, 1.9, 8);
        });
        Assert.Equal(2, result.Events.Count(e => e.Kind == LabEventKind.Killed));
        await ProcessAssert.AllGoneAsync(result.ProcessIds);
    }

    [Fact]
    public async Task A_failure_midway_still_removes_every_process_and_port()
    {
        var runner = new LabRunner(LabFactory.Settings(StandInServer.Command("--ignore-term"), grace: TimeSpan.FromSeconds(30)), new LabEventLog());
        // The "test" fails while a pod is terminating (its SIGTERM ignored, the grace period far away).
        Func<Uri, CancellationToken, Task> failingLoad = async (_, ct) =>
        {
            await ProcessAssert.EventuallyAsync(() => runner.Events.Snapshot().Any(e => e.Kind == LabEventKind.SignalSent), TimeSpan.FromSeconds(30), "a pod terminating");
            throw new InvalidOperationException("assertion failed midway");
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(failingLoad, default));

        Assert.Equal("assertion failed midway", e.Message);
        Assert.True(runner.StartedProcessIds.Count >= 4);
        await ProcessAssert.AllGoneAsync(runner.StartedProcessIds);
        await ProcessAssert.PortsFreeAsync(runner.UsedPorts);
    }

    [Fact]
    public async Task Cancellation_like_ctrl_c_stops_early_reports_interrupted_and_cleans_up()
    {
        var runner = new LabRunner(LabFactory.Settings(StandInServer.Command()), new LabEventLog());
        using var cts = new CancellationTokenSource();
        runner.Events.Recorded += e => { if (e.Kind == LabEventKind.Terminating) cts.Cancel(); };

        var result = await runner.RunAsync(Idle(30), cts.Token);

        Assert.True(result.Interrupted);
        await ProcessAssert.AllGoneAsync(result.ProcessIds);
        await ProcessAssert.PortsFreeAsync(result.Ports);
    }

    [Fact]
    public async Task A_replica_that_crashes_during_the_run_does_not_stop_the_lab_or_leave_anything_behind()
    {
        var runner = new LabRunner(LabFactory.Settings(StandInServer.Command(), rolloutAtSeconds: 2), new LabEventLog());
        Func<Uri, CancellationToken, Task> load = async (_, ct) =>
        {
            var r2 = runner.Events.Snapshot().First(e => e.Subject == "r2" && e.Kind == LabEventKind.ReplicaStarted);
            int pid = int.Parse(r2.Detail.Split(' ')[^1]);
            ProcessSignals.Send(pid, SignalTable.SIGKILL); // crash
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        };

        var result = await runner.RunAsync(load, default);

        Assert.Contains(result.Events, e => e.Subject == "r2" && e.Kind == LabEventKind.NotReady);
        Assert.Contains(result.Events, e => e.Subject == "r2" && e.Kind == LabEventKind.EndpointRemoved);
        Assert.Null(result.Rollout!.Failure);
        await ProcessAssert.AllGoneAsync(result.ProcessIds);
    }

    [Fact]
    public async Task A_new_replica_that_cannot_start_fails_the_rollout_with_its_log()
    {
        var flag = Path.Combine(_dir.Path, "break-new-replicas");
        var runner = new LabRunner(LabFactory.Settings(StandInServer.Command("--fail-if-exists", flag)), new LabEventLog());
        Func<Uri, CancellationToken, Task> load = (_, ct) =>
        {
            File.WriteAllText(flag, "");
            return Task.Delay(TimeSpan.FromSeconds(2), ct);
        };

        var result = await runner.RunAsync(load, default);

        Assert.NotNull(result.Rollout!.Failure);
        Assert.Contains("r4 exited with code 4", result.Rollout.Failure);
        Assert.Contains("failing because", result.Rollout.Failure);
        Assert.Null(result.Rollout.Duration);
        await ProcessAssert.AllGoneAsync(result.ProcessIds);
    }

    [Fact]
    public async Task A_replica_that_never_starts_is_a_clear_error_with_its_log()
    {
        var runner = new LabRunner(LabFactory.Settings(StandInServer.Command("--fail-start")), new LabEventLog());
        var e = await Assert.ThrowsAsync<LabException>(() => runner.RunAsync(Idle(1), default));
        Assert.Contains("exited with code 3 before it was ready", e.Message);
        Assert.Contains("failing on purpose", e.Message);
        await ProcessAssert.AllGoneAsync(runner.StartedProcessIds);
    }
}
