using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Budget;

namespace Lameduck.Cli.Lint.Rules.Budget;

/// <summary>LD002: preStop sleep + lame-duck delay + 2 s margin does not fit in the grace period.</summary>
internal sealed class DelayExceedsGracePeriod : ContainerRule
{
    public override string Id => "LD002";
    public override string Name => "DelayExceedsGracePeriod";
    public override Severity Severity => Severity.Error;
    public override string Summary => "preStop sleep + lame-duck delay + 2 s margin exceed terminationGracePeriodSeconds, or the declared grace period is longer than the pod's.";

    public override string Why =>
        "One budget rules shutdown: terminationGracePeriodSeconds = preStop time + lame-duck window + drain + margin. " +
        "The preStop sleep runs first, then SIGTERM starts the lame-duck delay (Lameduck__Delay, lameduck-init --delay " +
        "or LAMEDUCK_DELAY), and only after it does the app stop accepting and drain. When the sleeps alone leave less " +
        "than 2 s, SIGKILL lands during the drain and in-flight requests are cut. The Lameduck library and lameduck-init derive their " +
        "drain deadline from the grace period they are told (Lameduck__GracePeriod, --grace-period): longer than " +
        "terminationGracePeriodSeconds, they plan to drain past SIGKILL. lameduck-init's delay is 5 s when not set.";

    public override string FixYaml => """
        spec:
          terminationGracePeriodSeconds: 30     # >= preStop sleep + delay + drain + 2 s
          containers:
            - name: app
              env:
                - name: Lameduck__Delay
                  value: "00:00:05"             # the lame-duck window; no preStop sleep needed with it
                - name: Lameduck__GracePeriod
                  value: "00:00:30"             # the same budget as terminationGracePeriodSeconds
        """;

    public override string NotReported =>
        "Containers that declare no delay and no grace period of their own (nothing to check against the pod's), values taken from Secrets or unread ConfigMaps (unknown), and the time a custom preStop command takes.";

    protected override IEnumerable<Finding> Check(Workload workload, Container container, LintContext context)
    {
        var grace = workload.Pod.GracePeriodSeconds;
        if (DeclaredDuration.GracePeriodOf(container, workload, context.Manifests) is { Value: { } planned } budget && planned.TotalSeconds > grace)
        {
            yield return Report(workload.Object, container, budget.Node,
                $"{budget.Source} is {Seconds(planned.TotalSeconds)} s but terminationGracePeriodSeconds is {workload.Pod.GracePeriodText}: " +
                "the drain is planned past the kubelet's SIGKILL",
                $"declare the pod's grace period ({grace} s) there too, or raise terminationGracePeriodSeconds");
        }
        if (context.DelayOf(workload, container) is not { Value: { } delay } declaration) yield break;
        var sleep = container.PreStop?.SleepSeconds ?? 0;
        if (sleep >= grace) yield break; // LD001 reports it
        // The shutdown contract's arithmetic, as the library and lameduck-init check it at start: a budget that leaves
        // nothing to drain does not fit either.
        var margin = ShutdownDefaults.SafetyMargin;
        var arithmetic = new ShutdownArithmetic(TimeSpan.FromSeconds(grace), TimeSpan.FromSeconds(sleep), delay, margin);
        if (arithmetic.Fits) yield break;
        var total = arithmetic.Fixed.TotalSeconds;
        var at = (Input.YamlNode?)workload.Pod.GracePeriodNode ?? declaration.Node;
        var sleepPart = sleep > 0 ? $"preStop sleep {Seconds(sleep)} s + " : "";
        yield return Report(workload.Object, container, at,
            $"{sleepPart}lame-duck delay {Seconds(delay.TotalSeconds)} s ({declaration.Source}) + {Seconds(margin.TotalSeconds)} s margin = " +
            $"{Seconds(total)} s, {(total > grace ? "more than" : "all of")} terminationGracePeriodSeconds {workload.Pod.GracePeriodText}: SIGKILL comes before the drain ends",
            $"raise terminationGracePeriodSeconds to at least {Math.Ceiling(total) + 10} (room to drain), or shorten the delay" +
            (sleep > 0 ? " and drop the preStop sleep (the lame-duck delay already covers endpoint propagation)" : ""));
    }
}
