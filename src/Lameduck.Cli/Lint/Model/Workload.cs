using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>An object that runs pods, with its pod template read.</summary>
internal sealed class Workload
{
    private Workload(KubeObject obj, YamlMapping podTemplateMetadataParent, PodSpec pod, IReadOnlyList<string> templatePath)
    {
        Object = obj;
        Pod = pod;
        Template = podTemplateMetadataParent;
        TemplatePath = templatePath;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in podTemplateMetadataParent.MappingAt("metadata", "labels")?.Entries ?? [])
        {
            if (entry.KeyText is { } key && entry.Value is YamlScalar value) labels[key] = value.Value;
        }
        PodLabels = labels;
    }

    /// <summary>The workload object.</summary>
    public KubeObject Object { get; }

    /// <summary>The pod template: the mapping that holds the pods' <c>metadata</c> and <c>spec</c> (the object itself for a Pod).</summary>
    public YamlMapping Template { get; }

    /// <summary>The keys leading from the object's root to <see cref="Template"/>: <c>spec, template</c>; empty for a Pod.</summary>
    public IReadOnlyList<string> TemplatePath { get; }

    /// <summary>The pod spec its pods run.</summary>
    public PodSpec Pod { get; }

    /// <summary>The labels its pods carry (what Services select).</summary>
    public IReadOnlyDictionary<string, string> PodLabels { get; }

    /// <summary>True for kinds that are rolled out and keep serving: not Pod, Job or CronJob.</summary>
    public bool IsLongRunningController => Object.Kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController" or "DaemonSet";

    /// <summary>True for run-to-completion kinds, which serve no traffic worth draining.</summary>
    public bool IsBatch => Object.Kind is "Job" or "CronJob";

    /// <summary>Reads the pod template of a workload kind; null for other kinds or a missing template.</summary>
    public static Workload? From(KubeObject obj)
    {
        // Where each kind keeps the mapping that holds "metadata" (labels) and "spec" (the pod spec).
        string[]? path = obj.Kind switch
        {
            "Pod" => [],
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "ReplicationController" or "Job" => ["spec", "template"],
            "CronJob" => ["spec", "jobTemplate", "spec", "template"],
            _ => null,
        };
        if (path is null) return null;
        var template = path.Length == 0 ? obj.Root : obj.Root.MappingAt(path);
        if (template?.MappingAt("spec") is not { } spec) return null;
        return new Workload(obj, template, new PodSpec(spec), path);
    }
}
