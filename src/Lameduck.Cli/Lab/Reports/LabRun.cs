using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Sessions;
using Lameduck.Cli.Verify.Attack;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>One finished lab run: its settings, what the lab observed, what the load measured.</summary>
/// <param name="Settings">The run's settings.</param>
/// <param name="Lab">Rollout, terminations, events.</param>
/// <param name="Load">verify's result for the load sent through the ingress.</param>
/// <param name="Sessions">What the long-lived sessions saw, or null when none were held (<c>--sessions</c>).</param>
public sealed record LabRun(LabSettings Settings, LabResult Lab, LoadResult Load, SessionsResult? Sessions = null)
{
    /// <summary>The termination of <paramref name="replica"/> when it is one of the rollout's old pods, else null.</summary>
    public Termination? TerminationOf(string? replica) =>
        replica is null ? null : Lab.Rollout?.Terminations.FirstOrDefault(t => t.Replica == replica);

    /// <summary>SIGTERM→exit per old pod, in seconds (null when no signal was sent).</summary>
    public IReadOnlyList<double?> SignalToExitSeconds =>
        Lab.Rollout?.Terminations.Select(t => t.SignalToExit?.TotalSeconds).ToArray() ?? [];

    /// <summary>Seconds since the load started for a time on the lab's clock.</summary>
    public double LoadSeconds(TimeSpan labTime) => Math.Round((labTime - Lab.LoadStartedAt).TotalSeconds, 3);
}
