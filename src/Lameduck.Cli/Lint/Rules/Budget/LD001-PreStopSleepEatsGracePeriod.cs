using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Rules.Budget;

/// <summary>LD001: a preStop sleep as long as the grace period leaves the app no time to drain.</summary>
internal sealed class PreStopSleepEatsGracePeriod : ContainerRule
{
    public override string Id => "LD001";
    public override string Name => "PreStopSleepEatsGracePeriod";
    public override Severity Severity => Severity.Error;
    public override string Summary => "The preStop sleep is at least as long as terminationGracePeriodSeconds.";

    public override string Why =>
        "The grace period counts from the start of termination, preStop included. The container gets SIGTERM only " +
        "when the hook returns; if the hook is still sleeping when the grace period ends, the kubelet grants a single " +
        "2 s extension, sends SIGTERM, and SIGKILLs the container when that is over. The app never gets to finish " +
        "in-flight requests, and every rollout pays the full sleep per pod.";

    public override string FixYaml => """
        spec:
          terminationGracePeriodSeconds: 45   # preStop sleep + lame-duck window + drain + margin
          containers:
            - name: app
              lifecycle:
                preStop:
                  sleep:
                    seconds: 5               # long enough for endpoint removal to propagate
        """;

    public override string NotReported =>
        "A preStop sleep shorter than the grace period (LD002 judges the whole budget), and sleeps lint cannot read (a script that loops or calls another program): only the forms listed under \"How the linter reads shutdown settings\" count.";

    protected override IEnumerable<Finding> Check(Workload workload, Container container, LintContext context)
    {
        var grace = workload.Pod.GracePeriodSeconds;
        if (container.PreStop is not { SleepSeconds: { } sleep, SleepNode: { } at } || sleep < grace) yield break;
        yield return Report(workload.Object, container, at,
            $"preStop sleeps {Seconds(sleep)} s and terminationGracePeriodSeconds is {workload.Pod.GracePeriodText}: " +
            "SIGTERM comes only when the grace period is used up, and SIGKILL 2 s later, so nothing drains",
            $"shorten the sleep (5-10 s covers endpoint propagation) or raise terminationGracePeriodSeconds to at least {Math.Ceiling(sleep) + 15}");
    }
}
