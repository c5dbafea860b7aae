using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Rules;

/// <summary>What every rule sees: the objects of the input and the target Kubernetes version.</summary>
internal sealed class LintContext(ManifestSet manifests, KubeVersion kubeVersion)
{
    private readonly Dictionary<Workload, WorkloadTraffic> _traffic = new(ReferenceEqualityComparer.Instance);

    /// <summary>The input's objects.</summary>
    public ManifestSet Manifests { get; } = manifests;

    /// <summary>The targeted Kubernetes version.</summary>
    public KubeVersion KubeVersion { get; } = kubeVersion;

    /// <summary>Whether and how the workload's pods get traffic (computed once per workload).</summary>
    public WorkloadTraffic Traffic(Workload workload)
    {
        if (!_traffic.TryGetValue(workload, out var traffic)) _traffic[workload] = traffic = WorkloadTraffic.Of(workload, Manifests);
        return traffic;
    }

    /// <summary>The containers that receive traffic (see <see cref="WorkloadTraffic"/>); none for batch kinds.</summary>
    public IReadOnlyList<Container> ServingContainers(Workload workload) => Traffic(workload).Serving;

    /// <summary>The other workloads of the scope whose pods the same traffic Services select (e.g. reviews-v1 and reviews-v2).</summary>
    public IEnumerable<Workload> SiblingsBehindServices(Workload workload)
    {
        var services = Traffic(workload).Services;
        if (services.Count == 0) return [];
        var selectors = Manifests.ServicesNear(workload.Object).Where(s => services.Contains(s.Service)).ToList();
        return Manifests.WorkloadsNear(workload.Object).Where(w => !ReferenceEquals(w, workload) && selectors.Any(s => s.Selects(w)));
    }

    /// <summary>The lame-duck delay a container declares, if any.</summary>
    public DeclaredDuration? DelayOf(Workload workload, Container container) => DeclaredDuration.DelayOf(container, workload, Manifests);
}
