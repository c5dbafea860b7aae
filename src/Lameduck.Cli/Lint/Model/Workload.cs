using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>An object that runs pods, with its pod template read.</summary>
internal sealed class Workload
{
    private Workload(KubeObject obj, YamlMapping podTemplateMetadataParent, PodSpec pod)
    {
        Object = obj;
        Pod = pod;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in podTemplateMetadataParent.MappingAt("metadata", "labels")?.Entries ?? [])
        {
            if (entry.KeyText is { } key && entry.Value is YamlScalar value) labels[key] = value.Value;
        }
        PodLabels = labels;
    }

    /// <summary>The workload object.</summary>
    public KubeObject Object { get; }

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
        var template = obj.Kind switch
        {
            "Pod" => obj.Root,
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "ReplicationController" or "Job"
                => obj.Root.MappingAt("spec", "template"),
            "CronJob" => obj.Root.MappingAt("spec", "jobTemplate", "spec", "template"),
            _ => null,
        };
        if (template?.MappingAt("spec") is not { } spec) return null;
        return new Workload(obj, template, new PodSpec(spec));
    }
}
