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
    private readonly Dictionary<string, List<ServiceSelector>> _servicesByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), KubeObject> _configMaps = [];
    private readonly Dictionary<(string Namespace, string Name), List<Workload>> _mountsByConfigMap = [];
    private readonly Dictionary<(string Namespace, string Kind, string Name), KubeObject> _autoscalerByTarget = [];

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

    /// <summary>The ConfigMap <paramref name="name"/> in <paramref name="ns"/>, if the input has it.</summary>
    public KubeObject? FindConfigMap(string ns, string name) => _configMaps.GetValueOrDefault((ns, name));

    /// <summary>The HorizontalPodAutoscaler that scales <paramref name="workload"/>, if the input has one.</summary>
    public KubeObject? AutoscalerOf(KubeObject workload) =>
        _autoscalerByTarget.GetValueOrDefault((workload.Namespace, workload.Kind, workload.Name));

    /// <summary>The Services of namespace <paramref name="ns"/>.</summary>
    public IReadOnlyList<ServiceSelector> ServicesIn(string ns) => _servicesByNamespace.TryGetValue(ns, out var list) ? list : [];

    /// <summary>The workloads that mount ConfigMap <paramref name="name"/> of namespace <paramref name="ns"/> as a volume.</summary>
    public IReadOnlyList<Workload> WorkloadsMounting(string ns, string name) => _mountsByConfigMap.TryGetValue((ns, name), out var list) ? list : [];

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
                    if (!_servicesByNamespace.TryGetValue(obj.Namespace, out var list)) _servicesByNamespace[obj.Namespace] = list = [];
                    list.Add(service);
                }
                break;
            case "ConfigMap":
                ConfigMaps.Add(obj);
                _configMaps.TryAdd((obj.Namespace, obj.Name), obj);
                break;
            case "HorizontalPodAutoscaler":
                var target = obj.Root.MappingAt("spec", "scaleTargetRef");
                if (target.TextAt("kind") is { } targetKind && target.TextAt("name") is { } targetName)
                {
                    _autoscalerByTarget.TryAdd((obj.Namespace, targetKind, targetName), obj);
                }
                break;
            default:
                if (Workload.From(obj) is { } workload)
                {
                    Workloads.Add(workload);
                    foreach (var volume in workload.Pod.ConfigMapVolumes.Distinct())
                    {
                        if (!_mountsByConfigMap.TryGetValue((obj.Namespace, volume), out var mounts)) _mountsByConfigMap[(obj.Namespace, volume)] = mounts = [];
                        mounts.Add(workload);
                    }
                }
                break;
        }
    }
}
