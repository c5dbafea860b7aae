namespace Lameduck.Cli.Lab.Rollout;

/// <summary>
/// A Deployment's <c>strategy.rollingUpdate</c>: how many pods may exist above the desired count
/// (<c>maxSurge</c>) and how many may be unavailable below it (<c>maxUnavailable</c>), as absolute numbers.
/// </summary>
public sealed record RolloutStrategy(int Replicas, int MaxSurge, int MaxUnavailable)
{
    /// <summary>Kubernetes' own validation: both zero would deadlock the rollout.</summary>
    public string? Validate() =>
        Replicas < 1 ? "--replicas must be at least 1"
        : MaxSurge < 0 ? "--max-surge must not be negative"
        : MaxUnavailable < 0 ? "--max-unavailable must not be negative"
        : MaxSurge == 0 && MaxUnavailable == 0 ? "--max-surge and --max-unavailable cannot both be 0 (the rollout could never make progress)"
        : null;
}
