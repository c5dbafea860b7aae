using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A Service's pod selector: the pods it sends traffic to are "serving".</summary>
internal sealed record ServiceSelector(KubeObject Service, IReadOnlyDictionary<string, string> Selector)
{
    /// <summary>The selector of a Service that has one (a Service without one selects no pod).</summary>
    public static ServiceSelector? From(KubeObject service)
    {
        var selector = service.Root.MappingAt("spec", "selector");
        if (selector is null || selector.Entries.Count == 0) return null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in selector.Entries)
        {
            if (entry.KeyText is { } key && entry.Value is YamlScalar value) labels[key] = value.Value;
        }
        return new ServiceSelector(service, labels);
    }

    /// <summary>True when every selector label is on the pod template and the namespaces agree.</summary>
    public bool Selects(Workload workload) =>
        workload.Object.Namespace == Service.Namespace &&
        Selector.All(s => workload.PodLabels.TryGetValue(s.Key, out var v) && v == s.Value);
}
