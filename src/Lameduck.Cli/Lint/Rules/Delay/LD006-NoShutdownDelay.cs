namespace Lameduck.Cli.Lint.Rules.Delay;

/// <summary>LD006: a serving workload that stops as soon as it gets SIGTERM.</summary>
internal sealed class NoShutdownDelay : LintRule
{
    public override string Id => "LD006";
    public override string Name => "ServingWorkloadWithoutShutdownDelay";
    public override Severity Severity => Severity.Warning;
    public override string Summary => "A serving workload has no shutdown delay: no preStop sleep, no Lameduck delay, no lameduck-init.";

    public override string Why =>
        "SIGTERM and the removal of the pod from the Service's endpoints happen at the same moment, and kube-proxy, " +
        "ingress controllers and cloud load balancers learn of the removal seconds later. A server that stops accepting " +
        "at once refuses the requests they still send it: measured at 1,000 req/s, a rolling update lost 221 requests " +
        "without a delay and none with a 5 s one.";

    public override string FixYaml => """
        # .NET with the Lameduck library: keep serving 5 s after SIGTERM
        env:
          - name: Lameduck__Delay
            value: "00:00:05"
        # Anything else (Kubernetes >= 1.30): let the kubelet wait before SIGTERM
        lifecycle:
          preStop:
            sleep:
              seconds: 5
        """;

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var workload in context.Manifests.Workloads)
        {
            var serving = context.ServingContainers(workload);
            if (serving.Count == 0) continue;
            bool delayed = workload.Pod.Containers.Any(c =>
                c.PreStop?.SleepSeconds > 0 || context.DelayOf(workload, c) is { Value: null or { Ticks: > 0 } });
            if (delayed) continue;
            var first = serving[0];
            yield return Report(workload.Object, first, first.Anchor,
                "serves traffic but stops at once on SIGTERM: the requests still routed to the pod while its endpoint removal propagates are refused",
                context.KubeVersion >= KubeVersion.NativeSleepAction
                    ? "set Lameduck__Delay (Lameduck library), run under lameduck-init --delay, or add lifecycle.preStop.sleep.seconds: 5"
                    : "set Lameduck__Delay (Lameduck library), run under lameduck-init --delay, or add a preStop sleep of 5 s");
        }
    }
}
