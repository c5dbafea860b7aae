using System.Globalization;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Text;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>
/// Deletes a pod the way Kubernetes does. The pod becomes terminating, and then, concurrently and
/// without waiting for each other:
/// (a) the endpoint is removed from the ingress after the propagation delay;
/// (b) the kubelet runs the preStop hook, sends the stop signal, and sends SIGKILL to the whole
/// process group when the grace period, counted from the start of termination (preStop included),
/// runs out. Like the kubelet, when the preStop hook itself overruns the grace period the
/// container still gets the stop signal and a last 2 s before SIGKILL.
/// </summary>
public sealed class PodTerminator(TerminationSettings settings, LabEventLog events)
{
    /// <summary>The kubelet's one-time extension when a preStop hook eats the whole grace period.</summary>
    public static readonly TimeSpan PreStopOverrunGrace = TimeSpan.FromSeconds(2);

    /// <summary>Terminates <paramref name="replica"/>; <paramref name="removeEndpoint"/> is called after <paramref name="propagation"/>.</summary>
    public async Task<Termination> TerminateAsync(Replica replica, TimeSpan propagation, Func<CancellationToken, Task> removeEndpoint, CancellationToken ct)
    {
        var terminatingAt = events.Record(LabEventKind.Terminating, replica.Name,
            $"grace {DurationText.Format(settings.GracePeriod)}, endpoint removal in {DurationText.Format(propagation)}").At;
        var endpointTask = RemoveEndpointLaterAsync(replica, terminatingAt, propagation, removeEndpoint, ct);
        var kubeletTask = StopContainerAsync(replica, terminatingAt, ct);
        var (preStopDone, signalSent, killed) = await kubeletTask.ConfigureAwait(false);
        var exitCode = await replica.Exited.ConfigureAwait(false);
        var exitedAt = events.Record(LabEventKind.Exited, replica.Name, "code " + exitCode.ToString(CultureInfo.InvariantCulture),
            at: events.TimeOf(replica.ExitTimestamp)).At;
        // The ingress learns of the deletion on its own schedule; wait for that too, so the
        // termination's record is complete (in a cluster it would happen regardless).
        var endpointRemovedAt = await endpointTask.ConfigureAwait(false);
        return new Termination(replica.Name, replica.Port, propagation, terminatingAt, endpointRemovedAt,
            preStopDone, signalSent, exitedAt, exitCode, killed);
    }

    private async Task<TimeSpan?> RemoveEndpointLaterAsync(Replica replica, TimeSpan terminatingAt, TimeSpan propagation, Func<CancellationToken, Task> removeEndpoint, CancellationToken ct)
    {
        await SleepUntilAsync(terminatingAt + propagation, ct).ConfigureAwait(false);
        await removeEndpoint(ct).ConfigureAwait(false);
        return events.Record(LabEventKind.EndpointRemoved, replica.Name, "port " + replica.Port.ToString(CultureInfo.InvariantCulture)).At;
    }

    private async Task<(TimeSpan? PreStopDone, TimeSpan? SignalSent, bool Killed)> StopContainerAsync(Replica replica, TimeSpan terminatingAt, CancellationToken ct)
    {
        var deadline = terminatingAt + settings.GracePeriod;
        TimeSpan? preStopDone = null;
        if (settings.PreStop is { } hook)
        {
            bool finished = await RunPreStopAsync(hook, replica, deadline, ct).ConfigureAwait(false);
            preStopDone = events.Record(LabEventKind.PreStopDone, replica.Name, finished ? hook.ToString() : hook + " (cut short: grace period over)").At;
            if (!finished) deadline = events.Now + PreStopOverrunGrace;
        }

        TimeSpan? signalSent = null;
        // Stamped before kill(2): the app may react (a session told to go away, on the lab's clock) before kill returns
        // to a preempted lab thread, and nothing it does can come before the signal.
        var sending = events.Now;
        if (replica.Signal(settings.StopSignal))
        {
            signalSent = events.Record(LabEventKind.SignalSent, replica.Name, SignalTable.Name(settings.StopSignal), sending).At;
        }

        var remaining = deadline - events.Now;
        if (remaining > TimeSpan.Zero)
        {
            try
            {
                await replica.Exited.WaitAsync(remaining, ct).ConfigureAwait(false);
                return (preStopDone, signalSent, false);
            }
            catch (TimeoutException)
            {
            }
        }
        if (replica.HasExited) return (preStopDone, signalSent, false);
        var killing = events.Now; // stamped before kill(2), as the stop signal is
        replica.KillGroup();
        events.Record(LabEventKind.Killed, replica.Name, "SIGKILL: grace period of " + DurationText.Format(settings.GracePeriod) + " over", killing);
        return (preStopDone, signalSent, true);
    }

    /// <summary>Sleeps until the lab's clock reads <paramref name="due"/> (timers may fire a hair early; a delay must never be shorter than asked).</summary>
    private async Task SleepUntilAsync(TimeSpan due, CancellationToken ct)
    {
        for (var left = due - events.Now; left > TimeSpan.Zero; left = due - events.Now)
            await Task.Delay(left + TimeSpan.FromMilliseconds(1), ct).ConfigureAwait(false);
    }

    /// <summary>Runs the hook until it finishes (true) or the deadline passes (false).</summary>
    private async Task<bool> RunPreStopAsync(PreStopHook hook, Replica replica, TimeSpan deadline, CancellationToken ct)
    {
        var budget = deadline - events.Now;
        if (budget <= TimeSpan.Zero) return false;
        switch (hook)
        {
            case PreStopHook.Sleep sleep:
                var start = events.Now;
                await SleepUntilAsync(start + (sleep.Duration > budget ? budget : sleep.Duration), ct).ConfigureAwait(false);
                return sleep.Duration <= budget;
            case PreStopHook.Exec exec:
                var environment = new Dictionary<string, string> { ["PORT"] = replica.Port.ToString(CultureInfo.InvariantCulture) };
                using (var process = DetachedProcess.Start(CommandText.WithPort(exec.Command, replica.Port), environment, replica.LogPath))
                {
                    try
                    {
                        await process.WaitForExitAsync(ct).WaitAsync(budget, ct).ConfigureAwait(false);
                        return true;
                    }
                    catch (TimeoutException)
                    {
                        ProcessSignals.Send(-process.Id, SignalTable.SIGKILL);
                        return false;
                    }
                    catch (OperationCanceledException)
                    {
                        ProcessSignals.Send(-process.Id, SignalTable.SIGKILL);
                        throw;
                    }
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(hook));
        }
    }
}
