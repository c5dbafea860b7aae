using System.Globalization;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Kubelet;

namespace Lameduck.Cli.Lab.Rollout;

/// <summary>
/// Replaces every old pod with a new one the way the Deployment controller's rolling update does:
/// it starts new pods while the total stays within <c>replicas + maxSurge</c>, and deletes old pods
/// while the ready pods stay at least <c>replicas - maxUnavailable</c>.
/// </summary>
/// <remarks>
/// Terminating pods count against <c>maxSurge</c> until they have exited, as with
/// <c>podReplacementPolicy: TerminationComplete</c> (KEP-3973): on a small machine it keeps old and
/// new processes from piling up, and it makes a long preStop hook cost what it costs in the clusters
/// the write-ups describe, one hook per pod of rollout time. The rollout is done when every new
/// pod is ready and every old pod has exited.
/// </remarks>
public sealed class DeploymentController(RolloutStrategy strategy, LabEventLog events)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Replaces <paramref name="oldPods"/>; <paramref name="startPod"/> creates a new pod, <paramref name="deletePod"/> starts an old pod's termination.</summary>
    public async Task<RolloutResult> RolloutAsync(
        IReadOnlyList<Pod> oldPods, Func<Pod> startPod, Func<Pod, Task<Termination>> deletePod, TimeSpan progressDeadline, CancellationToken ct)
    {
        var startedAt = events.Record(LabEventKind.RolloutStarted, "rollout",
            string.Create(CultureInfo.InvariantCulture, $"replicas {strategy.Replicas}, maxSurge {strategy.MaxSurge}, maxUnavailable {strategy.MaxUnavailable}")).At;
        var newPods = new List<Pod>();
        var terminations = new List<Task<Termination>>();
        var toDelete = new Queue<Pod>(oldPods);
        var deadline = startedAt + progressDeadline;

        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (newPods.FirstOrDefault(p => p.Replica.HasExited && !p.IsReady) is { } crashed)
                return Fail($"new replica {crashed.Name} exited with code {crashed.Replica.Exited.Result} before it was ready; its log ({crashed.Replica.LogPath}) ends with:{Environment.NewLine}{crashed.Replica.LogTail()}");
            if (events.Now > deadline)
                return Fail($"the rollout did not finish within its progress deadline of {progressDeadline.TotalSeconds:0}s");

            int oldAlive = oldPods.Count(p => !p.Replica.HasExited);
            // Scale up within replicas + maxSurge (terminating pods count until they exit).
            while (newPods.Count < strategy.Replicas && oldAlive + newPods.Count < strategy.Replicas + strategy.MaxSurge)
                newPods.Add(startPod());

            // Scale down while ready pods stay at least replicas - maxUnavailable.
            int ready = oldPods.Count(p => !p.IsTerminating && p.IsReady) + newPods.Count(p => p.IsReady);
            while (toDelete.Count > 0 && ready - 1 >= strategy.Replicas - strategy.MaxUnavailable)
            {
                var victim = toDelete.Dequeue();
                terminations.Add(deletePod(victim));
                if (victim.IsReady) ready--;
            }

            if (toDelete.Count == 0 && newPods.Count == strategy.Replicas && newPods.All(p => p.IsReady) && terminations.All(t => t.IsCompleted))
            {
                var done = await Task.WhenAll(terminations).ConfigureAwait(false);
                var end = events.Record(LabEventKind.RolloutDone, "rollout").At;
                return new RolloutResult(startedAt, end - startedAt, done, null);
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }

        RolloutResult Fail(string why)
        {
            var finished = terminations.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToArray();
            return new RolloutResult(startedAt, null, finished, why);
        }
    }
}
