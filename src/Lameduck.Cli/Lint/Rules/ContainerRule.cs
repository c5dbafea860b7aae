using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Rules;

/// <summary>A rule that looks at each container of each workload on its own.</summary>
internal abstract class ContainerRule : LintRule
{
    public sealed override IEnumerable<Finding> Check(LintContext context) =>
        context.Manifests.Workloads.SelectMany(w => w.Pod.Containers.SelectMany(c => Check(w, c, context)));

    /// <summary>Findings about <paramref name="container"/> of <paramref name="workload"/>.</summary>
    protected abstract IEnumerable<Finding> Check(Workload workload, Container container, LintContext context);
}
