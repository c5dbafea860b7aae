namespace Lameduck.Cli.Lint.Rules.Probes;

/// <summary>LD005: a serving container without a readiness probe.</summary>
internal sealed class NoReadinessProbe : LintRule
{
    public override string Id => "LD005";
    public override string Name => "ServingContainerWithoutReadinessProbe";
    public override Severity Severity => Severity.Warning;
    public override string Summary => "A container that serves traffic (containerPort, or selected by a Service) has no readiness probe.";

    public override string Why =>
        "Without a readiness probe a new pod is added to the Service's endpoints as soon as its containers start, " +
        "before the app listens: during a rollout the old pods go away while the new ones still refuse connections. " +
        "Lameduck also fails readiness during the lame-duck window, which only helps when the probe exists.";

    public override string FixYaml => """
        readinessProbe:
          httpGet:
            path: /healthz/ready
            port: http
          periodSeconds: 2
          failureThreshold: 1
        """;

    public override string NotReported =>
        "Workloads that get no traffic: Jobs and CronJobs; pods that only sleep (sleep infinity, tail -f /dev/null); exporters and metrics proxies; pods selected only by metrics Services (a Service named ...metrics..., or whose ports are named metrics, telemetry, health...); pods with no Service in the input set when other Services of their namespace are there; pods whose only declared ports are metrics or probe ports. Containers of a serving pod that no Service port targets.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var workload in context.Manifests.Workloads)
        {
            var traffic = context.Traffic(workload);
            foreach (var container in traffic.Serving)
            {
                if (container.Readiness is not null) continue;
                yield return Report(workload.Object, container, container.Anchor,
                    $"gets traffic from {traffic.Describe()} but has no readiness probe: it gets requests before it can answer them",
                    "add a readinessProbe (Lameduck.AspNetCore maps /healthz/ready, which also fails during the lame-duck window)");
            }
        }
    }
}
