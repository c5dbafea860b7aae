using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Rules;

/// <summary>What every rule sees: the objects of the input and the target Kubernetes version.</summary>
internal sealed class LintContext(ManifestSet manifests, KubeVersion kubeVersion)
{
    private readonly Dictionary<Workload, IReadOnlyList<Container>> _serving = new(ReferenceEqualityComparer.Instance);

    /// <summary>The input's objects.</summary>
    public ManifestSet Manifests { get; } = manifests;

    /// <summary>The targeted Kubernetes version.</summary>
    public KubeVersion KubeVersion { get; } = kubeVersion;

    /// <summary>
    /// The containers that receive traffic: those declaring a <c>containerPort</c>; when a Service of the
    /// input selects the pods and no container declares a port, the first container. Batch kinds serve none.
    /// </summary>
    public IReadOnlyList<Container> ServingContainers(Workload workload)
    {
        if (!_serving.TryGetValue(workload, out var serving)) _serving[workload] = serving = FindServingContainers(workload);
        return serving;
    }

    private IReadOnlyList<Container> FindServingContainers(Workload workload)
    {
        if (workload.IsBatch) return [];
        var withPorts = workload.Pod.Containers.Where(c => c.Ports.Count > 0).ToList();
        if (withPorts.Count > 0) return withPorts;
        return IsSelectedByService(workload) && workload.Pod.Containers.Count > 0 ? [workload.Pod.Containers[0]] : [];
    }

    /// <summary>True when a Service in the input selects the workload's pods.</summary>
    public bool IsSelectedByService(Workload workload) => Manifests.ServicesIn(workload.Object.Namespace).Any(s => s.Selects(workload));

    /// <summary>The lame-duck delay a container declares, if any.</summary>
    public DeclaredDuration? DelayOf(Workload workload, Container container) => DeclaredDuration.DelayOf(container, workload, Manifests);
}
