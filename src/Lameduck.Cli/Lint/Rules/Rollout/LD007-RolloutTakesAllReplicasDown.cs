using System.Globalization;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Knowledge;
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

    public override string NotReported =>
        "Singletons by design: workloads that elect a leader (--leader-elect, --leader-election, --enable-leader-election, a LEADER_ELECT variable) and replicas: 1 workloads that no traffic Service of the input selects (controllers, workers, metrics-only pods); single replicas whose Service also selects other workloads' pods (reviews-v1 and reviews-v2 behind one Service); DaemonSets, except maxUnavailable 100 %; maxUnavailable as a percentage that rounds below the replica count (Kubernetes rounds it down).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var workload in context.Manifests.Workloads)
        {
            if (!workload.IsLongRunningController) continue;
            var traffic = context.Traffic(workload);
            if (traffic.Serving.Count == 0) continue;
            var spec = workload.Object.Root.MappingAt("spec")!;
            var obj = workload.Object;
            (long replicas, YamlNode? replicasAt, string source) = obj.Kind == "DaemonSet" ? (-1L, null, "one per node") : Replicas(workload, context);
            var count = replicas < 0 ? "one pod per node" : $"{replicas} replica{(replicas == 1 ? "" : "s")} ({source})";

            var strategyKey = obj.Kind == "Deployment" ? "strategy" : "updateStrategy";
            if (obj.Kind == "Deployment" && spec.ScalarAt(strategyKey, "type") is { Value: "Recreate" } recreate)
            {
                yield return Report(obj, null, recreate,
                    $"strategy.type Recreate stops every old pod ({count}) before any new one starts: {traffic.Describe()} has no endpoint during every rollout",
                    "use type: RollingUpdate with maxUnavailable: 0 and maxSurge: 1 (if a ReadWriteOnce volume forces Recreate, say so with lameduck.dev/lint-ignore)");
                continue;
            }
            if (spec.ScalarAt(strategyKey, "rollingUpdate", "maxUnavailable") is { } maxUnavailable &&
                TakesAllDown(maxUnavailable.Value, replicas < 0 ? null : replicas))
            {
                yield return Report(obj, null, maxUnavailable,
                    $"{strategyKey}.rollingUpdate.maxUnavailable {maxUnavailable.Value} covers every pod ({count}): a rollout may stop them all at once",
                    replicas > 1
                        ? $"set maxUnavailable below {replicas} (0 with maxSurge: 1 keeps full capacity)"
                        : "set maxUnavailable: 0 with maxSurge: 1, so the new pod is ready before the old one stops");
                continue;
            }
            if (replicas is < 0 or >= 2 || !traffic.RoutedByService) continue;
            // Singletons by design: an elected leader runs alone whatever the replica count; and pods of other
            // workloads behind the same Service (reviews-v1, reviews-v2) keep it served.
            if (TrafficRoles.LeaderElection(workload) is not null) continue;
            var siblings = context.SiblingsBehindServices(workload).ToList();
            if (siblings.Count > 0) continue;
            var rollout = obj.Kind == "StatefulSet"
                ? "and a StatefulSet's rollout deletes it before starting the new one"
                : "and every eviction or node drain stops it with no other pod to take over";
            yield return Report(obj, null, replicasAt!,
                $"runs {count} and is the only backend of {traffic.Describe()}: while it restarts nothing serves, {rollout}",
                "run at least 2 replicas (spec.replicas: 2, or an HPA with minReplicas: 2), with a PodDisruptionBudget");
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

    // Kubernetes rounds a percentage of maxUnavailable down: 50 % of 2 is 1, 100 % of any count is all of them.
    private static bool TakesAllDown(string value, long? replicas)
    {
        var text = value.Trim();
        if (text.EndsWith('%'))
        {
            if (!double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)) return false;
            return percent >= 100 || replicas is { } n && n > 0 && Math.Floor(n * percent / 100) >= n;
        }
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && replicas is { } r && count >= r;
    }
}
