using Lameduck.Cli.Verify.Attack;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>One finished lab run: its settings, what the lab observed, what the load measured.</summary>
/// <param name="Settings">The run's settings.</param>
/// <param name="Lab">Rollout, terminations, events.</param>
/// <param name="Load">verify's result for the load sent through the ingress.</param>
public sealed record LabRun(LabSettings Settings, LabResult Lab, LoadResult Load)
{
    /// <summary>SIGTERM→exit per old pod, in seconds (null when no signal was sent).</summary>
    public IReadOnlyList<double?> SignalToExitSeconds =>
        Lab.Rollout?.Terminations.Select(t => t.SignalToExit?.TotalSeconds).ToArray() ?? [];

    /// <summary>Seconds since the load started for a time on the lab's clock.</summary>
    public double LoadSeconds(TimeSpan labTime) => Math.Round((labTime - Lab.LoadStartedAt).TotalSeconds, 3);
}
