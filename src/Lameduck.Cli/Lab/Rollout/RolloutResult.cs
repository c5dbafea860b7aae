using Lameduck.Cli.Lab.Kubelet;

namespace Lameduck.Cli.Lab.Rollout;

/// <summary>What a rolling update did: how long it took and how each old pod was terminated.</summary>
/// <param name="StartedAt">Since the lab started.</param>
/// <param name="Duration">From the start until every new pod is ready and every old one has exited; null when it did not finish.</param>
/// <param name="Terminations">One per old pod, in termination order.</param>
/// <param name="Failure">Why it did not finish, or null.</param>
public sealed record RolloutResult(TimeSpan StartedAt, TimeSpan? Duration, IReadOnlyList<Termination> Terminations, string? Failure);
