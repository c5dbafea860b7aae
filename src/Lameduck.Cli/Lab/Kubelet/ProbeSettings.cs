namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>
/// A readiness probe as in a pod spec (<c>httpGet.path</c>, <c>periodSeconds</c>, <c>timeoutSeconds</c>,
/// <c>successThreshold</c>, <c>failureThreshold</c>), with the kubelet's defaults except the period,
/// which the lab takes from <c>--readiness-period</c>.
/// </summary>
public sealed record ProbeSettings(string Path, TimeSpan Period, TimeSpan Timeout, int SuccessThreshold, int FailureThreshold)
{
    /// <summary>The kubelet's defaults: 10 s period, 1 s timeout, 1 success, 3 failures.</summary>
    public static ProbeSettings Default(string path) => new(path, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 1, 3);
}
