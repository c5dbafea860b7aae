using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>
/// Every Kubernetes object of the input, with <c>kind: List</c> (and <c>*List</c>) unwrapped, the
/// workloads' pod templates read, and the context objects (Services, ConfigMaps, HPAs) indexed.
/// Documents that are not Kubernetes objects are skipped with a note naming file and line.
/// </summary>
internal sealed class ManifestSet
{
    /// <summary>Every object in input order.</summary>
    public List<KubeObject> Objects { get; } = [];

    /// <summary>Objects that run pods.</summary>
    public List<Workload> Workloads { get; } = [];

    /// <summary>ConfigMaps, for <c>envFrom</c> delays and php-fpm configuration.</summary>
    public List<KubeObject> ConfigMaps { get; } = [];

    // Indexes so that cross-object lookups stay linear in the input (10,000 objects lint in about a second).
    // Every key starts with the object's scope (input set, namespace): references never cross input sets or namespaces.
    private readonly Dictionary<(int, string), List<ServiceSelector>> _servicesByScope = [];
    private readonly Dictionary<((int, string) Scope, string Name), KubeObject> _configMaps = [];
    private readonly Dictionary<((int, string) Scope, string Name), List<Workload>> _mountsByConfigMap = [];
    private readonly Dictionary<((int, string) Scope, string Kind, string Name), KubeObject> _autoscalerByTarget = [];
    private readonly Dictionary<((int, string) Scope, string Service), List<KubeObject>> _routesByService = [];
    private readonly Dictionary<(int, string), List<Workload>> _workloadsByScope = [];

    /// <summary>The workloads of the scope of <paramref name="obj"/>: same input set, same namespace.</summary>
    public IReadOnlyList<Workload> WorkloadsNear(KubeObject obj) => _workloadsByScope.TryGetValue(obj.Scope, out var list) ? list : [];

    /// <summary>Documents skipped because they are not Kubernetes objects: (file, line, why).</summary>
    public List<(string File, int Line, string Reason)> Skipped { get; } = [];

    /// <summary>Reads the objects of <paramref name="documents"/>.</summary>
    public static ManifestSet From(IEnumerable<ManifestDocument> documents)
    {
        var set = new ManifestSet();
        foreach (var document in documents)
        {
            switch (document.Root)
            {
                case null:
                case YamlScalar { IsNull: true }:
                    break; // an empty document ("---" at the end of a file) is not worth a note
                case YamlMapping mapping when mapping["kind"] is YamlScalar && mapping["apiVersion"] is YamlScalar:
                    set.AddObject(mapping, document);
                    break;
                default:
                    set.Skipped.Add((document.File.DisplayPath, document.Root.Line,
                        "not a Kubernetes object (no apiVersion and kind), skipped"));
                    break;
            }
        }
        return set;
    }

    /// <summary>The ConfigMap <paramref name="name"/> in the scope of <paramref name="from"/>, if the input set has it.</summary>
    public KubeObject? FindConfigMap(KubeObject from, string name) => _configMaps.GetValueOrDefault((from.Scope, name));

    /// <summary>The HorizontalPodAutoscaler that scales <paramref name="workload"/>, if its input set has one.</summary>
    public KubeObject? AutoscalerOf(KubeObject workload) =>
        _autoscalerByTarget.GetValueOrDefault((workload.Scope, workload.Kind, workload.Name));

    /// <summary>The Services (with a selector) of the scope of <paramref name="obj"/>: same input set, same namespace.</summary>
    public IReadOnlyList<ServiceSelector> ServicesNear(KubeObject obj) => _servicesByScope.TryGetValue(obj.Scope, out var list) ? list : [];

    /// <summary>The Ingresses and Gateway API routes of the Service's scope that send it traffic.</summary>
    public IReadOnlyList<KubeObject> RoutesTo(KubeObject service) =>
        _routesByService.TryGetValue((service.Scope, service.Name), out var list) ? list : [];

    /// <summary>The workloads that mount ConfigMap <paramref name="name"/> as a volume, in the scope of <paramref name="configMap"/>.</summary>
    public IReadOnlyList<Workload> WorkloadsMounting(KubeObject configMap, string name) =>
        _mountsByConfigMap.TryGetValue((configMap.Scope, name), out var list) ? list : [];

    private void AddObject(YamlMapping mapping, ManifestDocument document)
    {
        var kind = mapping.TextAt("kind") ?? "";
        if (kind.EndsWith("List", StringComparison.Ordinal) && mapping["items"] is YamlSequence items)
        {
            foreach (var item in items.Items)
            {
                if (item is YamlMapping m && m["kind"] is YamlScalar) AddObject(m, document);
                else Skipped.Add((document.File.DisplayPath, item.Line, $"item of {kind} is not a Kubernetes object, skipped"));
            }
            return;
        }

        var name = mapping.TextAt("metadata", "name") ?? mapping.TextAt("metadata", "generateName") ?? "(unnamed)";
        var obj = new KubeObject(kind, name, mapping.TextAt("metadata", "namespace") ?? "", mapping, document);
        Objects.Add(obj);
        switch (kind)
        {
            case "Service":
                if (ServiceSelector.From(obj) is { } service)
                {
                    if (!_servicesByScope.TryGetValue(obj.Scope, out var list)) _servicesByScope[obj.Scope] = list = [];
                    list.Add(service);
                }
                break;
            case "ConfigMap":
                ConfigMaps.Add(obj);
                _configMaps.TryAdd((obj.Scope, obj.Name), obj);
                break;
            case "HorizontalPodAutoscaler":
                var target = obj.Root.MappingAt("spec", "scaleTargetRef");
                if (target.TextAt("kind") is { } targetKind && target.TextAt("name") is { } targetName)
                {
                    _autoscalerByTarget.TryAdd((obj.Scope, targetKind, targetName), obj);
                }
                break;
            case "Ingress" or "HTTPRoute" or "GRPCRoute" or "TLSRoute" or "TCPRoute":
                foreach (var backend in RouteBackends(obj).Distinct(StringComparer.Ordinal))
                {
                    if (!_routesByService.TryGetValue((obj.Scope, backend), out var routes)) _routesByService[(obj.Scope, backend)] = routes = [];
                    routes.Add(obj);
                }
                break;
            default:
                if (Workload.From(obj) is { } workload)
                {
                    Workloads.Add(workload);
                    if (!_workloadsByScope.TryGetValue(obj.Scope, out var near)) _workloadsByScope[obj.Scope] = near = [];
                    near.Add(workload);
                    foreach (var volume in workload.Pod.ConfigMapVolumes.Distinct())
                    {
                        if (!_mountsByConfigMap.TryGetValue((obj.Scope, volume), out var mounts)) _mountsByConfigMap[(obj.Scope, volume)] = mounts = [];
                        mounts.Add(workload);
                    }
                }
                break;
        }
    }

    // The Services an Ingress (spec.defaultBackend, rules[].http.paths[].backend.service.name; v1beta1 serviceName) or
    // a Gateway API route (spec.rules[].backendRefs[] of kind Service, the default) sends traffic to.
    private static IEnumerable<string> RouteBackends(KubeObject route)
    {
        var spec = route.Root.MappingAt("spec");
        if (route.Kind == "Ingress")
        {
            if (spec.TextAt("defaultBackend", "service", "name") is { } d) yield return d;
            if (spec.TextAt("backend", "serviceName") is { } legacy) yield return legacy;
            foreach (var rule in spec.At("rules").Items())
                foreach (var path in rule.At("http", "paths").Items())
                    if ((path.TextAt("backend", "service", "name") ?? path.TextAt("backend", "serviceName")) is { } name) yield return name;
            yield break;
        }
        foreach (var rule in spec.At("rules").Items())
            foreach (var backend in rule.At("backendRefs").Items())
                if ((backend.TextAt("kind") ?? "Service") == "Service" && backend.TextAt("name") is { } name) yield return name;
    }
}
