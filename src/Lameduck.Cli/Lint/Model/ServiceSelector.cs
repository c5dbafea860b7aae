using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A Service's pod selector and ports: the pods it selects get traffic on the ports' targets.</summary>
/// <param name="Service">The Service object.</param>
/// <param name="Selector">Its <c>spec.selector</c>.</param>
/// <param name="Ports">Its <c>spec.ports</c>.</param>
internal sealed record ServiceSelector(KubeObject Service, IReadOnlyDictionary<string, string> Selector, IReadOnlyList<ServicePort> Ports)
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
        var ports = service.Root.At("spec", "ports").Items()
            .Select(p => new ServicePort(p.TextAt("name"), p.TextAt("port"), p.TextAt("targetPort") ?? p.TextAt("port")))
            .ToList();
        return new ServiceSelector(service, labels, ports);
    }

    /// <summary>True when every selector label is on the pod template and the scopes (input set, namespace) agree.</summary>
    public bool Selects(Workload workload) =>
        workload.Object.Scope == Service.Scope &&
        Selector.All(s => workload.PodLabels.TryGetValue(s.Key, out var v) && v == s.Value);
}

/// <summary>One port of a Service.</summary>
/// <param name="Name">Its name, when set.</param>
/// <param name="Port">The Service's port.</param>
/// <param name="TargetPort">The pod port it forwards to: a number or a container port's name (the port when not set).</param>
internal sealed record ServicePort(string? Name, string? Port, string? TargetPort);
