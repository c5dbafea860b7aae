using System.Globalization;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Rules.Rollout;

/// <summary>LD007: a rollout that can take every serving replica down at once.</summary>
internal sealed class RolloutTakesAllReplicasDown : LintRule
{
    public override string Id => "LD007";
    public override string Name => "RolloutCanTakeAllReplicasDown";
    public override Severity Severity => Severity.Warning;
    public override string Summary => "A serving workload runs fewer than 2 replicas, uses Recreate, or allows maxUnavailable to cover every replica.";

    public override string Why =>
        "Graceful shutdown moves traffic from a stopping pod to the others. With one replica there are no others; with " +
        "strategy Recreate, or maxUnavailable equal to the replica count (or 100 %), the rollout stops every old pod " +
        "before a new one is ready, and the Service has no endpoint at all for a while.";

    public override string FixYaml => """
        spec:
          replicas: 2                 # or an HPA with minReplicas >= 2
          strategy:
            type: RollingUpdate
            rollingUpdate:
              maxUnavailable: 0       # start a new pod before stopping an old one
              maxSurge: 1
        """;

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var workload in context.Manifests.Workloads)
        {
            if (!workload.IsLongRunningController || context.ServingContainers(workload).Count == 0) continue;
            var spec = workload.Object.Root.MappingAt("spec")!;
            var obj = workload.Object;

            long? replicas = null;
            if (obj.Kind != "DaemonSet")
            {
                var (count, at, source) = Replicas(workload, context);
                replicas = count;
                if (count < 2)
                {
                    yield return Report(obj, null, at,
                        $"{obj.Id} runs {count} replica{(count == 1 ? "" : "s")} ({source}): while it restarts nothing serves the traffic",
                        "run at least 2 replicas (spec.replicas: 2, or an HPA with minReplicas: 2)");
                    continue; // the strategy cannot help a single replica
                }
            }

            var strategyKey = obj.Kind == "Deployment" ? "strategy" : "updateStrategy";
            if (spec.ScalarAt(strategyKey, "type") is { Value: "Recreate" } recreate)
            {
                yield return Report(obj, null, recreate,
                    $"{obj.Id} uses strategy Recreate: every old pod is stopped before any new one starts",
                    "use type: RollingUpdate with maxUnavailable: 0 and maxSurge: 1");
                continue;
            }
            if (spec.ScalarAt(strategyKey, "rollingUpdate", "maxUnavailable") is { } maxUnavailable &&
                TakesAllDown(maxUnavailable.Value, replicas))
            {
                yield return Report(obj, null, maxUnavailable,
                    $"maxUnavailable {maxUnavailable.Value} lets the rollout stop every replica{(replicas is { } r ? $" ({r})" : "")} at once",
                    "set maxUnavailable below the replica count (0 with maxSurge: 1 keeps full capacity)");
            }
        }
    }

    // Replicas as the cluster will run them: an HPA's minReplicas wins over spec.replicas (default 1).
    private static (long Count, YamlNode At, string Source) Replicas(Workload workload, LintContext context)
    {
        var obj = workload.Object;
        if (context.Manifests.AutoscalerOf(obj) is { } hpa)
        {
            var min = hpa.Root.ScalarAt("spec", "minReplicas");
            return (min.AsInteger() ?? 1, (YamlNode?)min ?? hpa.Root.KeyAt("spec")!, $"{hpa.Id} minReplicas{(min is null ? ", default 1" : "")}");
        }
        var replicas = obj.Root.ScalarAt("spec", "replicas");
        return replicas is null
            ? (1, obj.Root.KeyAt("spec")!, "spec.replicas not set, default 1")
            : (replicas.AsInteger() ?? 1, replicas, "spec.replicas");
    }

    private static bool TakesAllDown(string value, long? replicas)
    {
        var text = value.Trim();
        if (text.EndsWith('%'))
        {
            return double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent >= 100;
        }
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && replicas is { } r && count >= r;
    }
}
