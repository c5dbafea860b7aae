using System.Text.RegularExpressions;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Knowledge;

/// <summary>
/// What tells a port or container that serves no user traffic: metrics and probe ports (scraped, not load-balanced),
/// exporters and metrics proxies, client pods that only sleep, and singletons that elect a leader. Lint's own
/// knowledge (how manifests in the wild say it), used by <see cref="WorkloadTraffic"/> and LD007.
/// </summary>
internal static partial class TrafficRoles
{
    // Port names that mean "scraped or probed", never "load-balanced": http-metrics, metrics, telemetry, healthz, pprof.
    private static readonly string[] NonTrafficPortWords = ["metrics", "telemetry", "prometheus", "prom", "health", "healthz", "probe", "probes", "pprof", "profiling", "debug"];

    /// <summary>True for a port name (or a Service's named targetPort) that is scraped or probed, not served to users.</summary>
    public static bool IsMetricsPort(string? name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        foreach (var word in name.ToLowerInvariant().Split('-', '_'))
            if (Array.IndexOf(NonTrafficPortWords, word) >= 0) return true;
        return false;
    }

    /// <summary>True for a Service that exists to be scraped: its name says metrics (<c>...-metrics-service</c>).</summary>
    public static bool IsMetricsService(KubeObject service) => service.Name.Contains("metrics", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True for a container that only exposes metrics: Prometheus exporters (<c>node-exporter</c>,
    /// <c>redis_exporter</c>, <c>nginx-prometheus-exporter</c>), kube-state-metrics, and kube-rbac-proxy (the metrics
    /// proxy kubebuilder puts in front of controllers), judged by image or container name.
    /// </summary>
    public static bool IsMetricsContainer(Container container)
    {
        var image = container.Image?.Name ?? "";
        return image.Contains("exporter", StringComparison.OrdinalIgnoreCase)
            || container.Name.Contains("exporter", StringComparison.OrdinalIgnoreCase)
            || image is "kube-state-metrics" or "kube-rbac-proxy"
            || container.Name is "kube-state-metrics" or "kube-rbac-proxy";
    }

    /// <summary>
    /// True for a container that only waits: <c>sleep infinity</c>, <c>sleep 365d</c>, <c>tail -f /dev/null</c>, the
    /// client pods of demos and meshes that people <c>kubectl exec</c> into. Nothing listens in them.
    /// </summary>
    public static bool IsIdle(Container container)
    {
        var text = string.Join(' ', container.Argv.Select(a => a.Value));
        return text.Length > 0 && SleepsForever().IsMatch(text);
    }

    /// <summary>
    /// The argument or variable that turns on leader election (<c>--leader-elect</c>, <c>--leader-election</c>,
    /// <c>--enable-leader-election</c>, <c>ENABLE_LEADER_ELECTION=true</c>): such a workload is a singleton by design,
    /// extra replicas only stand by. Null when there is none (or it is set to false).
    /// </summary>
    public static string? LeaderElection(Workload workload)
    {
        foreach (var container in workload.Pod.Containers)
        {
            foreach (var word in container.Argv)
            {
                if (LeaderElectionFlag().Match(word.Value) is { Success: true } m && !IsFalse(m.Groups["value"].Value)) return word.Value;
            }
            foreach (var env in container.Env)
            {
                if (env.Name.Contains("LEADER_ELECT", StringComparison.OrdinalIgnoreCase) && !IsFalse(env.Value?.Value ?? "")) return $"{env.Name}={env.Value?.Value}";
            }
        }
        return null;
    }

    private static bool IsFalse(string value) => value.Trim().Trim('"').Equals("false", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"(^|[\s;&|(/])(sleep\s+(infinity|inf|\d{5,}|\d+d)|tail\s+-f\s+/dev/null)\b")]
    private static partial Regex SleepsForever();

    [GeneratedRegex(@"^--?(enable-)?leader-elect(ion)?(=(?<value>\S*))?$")]
    private static partial Regex LeaderElectionFlag();
}
