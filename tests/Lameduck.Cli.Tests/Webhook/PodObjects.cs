using System.Text.Json.Nodes;
using Lameduck.Cli.Inject.Documents;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Tests.Webhook;

/// <summary>Pods as the API server hands them to a mutating webhook: the workload's template, defaulted, with the service-account volume already added.</summary>
internal static class PodObjects
{
    /// <summary>Every workload of <paramref name="yaml"/> as such a pod (JSON text), by workload id.</summary>
    public static Dictionary<string, string> FromManifest(string yaml)
    {
        var set = ManifestSet.From(YamlLoader.Load(new SourceFile("manifest"), yaml));
        var pods = new Dictionary<string, string>();
        foreach (var workload in set.Workloads)
        {
            var root = (JsonObject)YamlToJson.Convert(workload.Object.Root)!;
            var template = workload.TemplatePath.Aggregate(root, (node, key) => (JsonObject)node[key]!);
            pods[workload.Object.Id] = Defaulted(template, workload.Object.Name).ToJsonString();
        }
        return pods;
    }

    private static JsonObject Defaulted(JsonObject template, string owner)
    {
        var metadata = (JsonObject?)template["metadata"]?.DeepClone() ?? [];
        metadata.Remove("name");
        metadata["generateName"] = owner + "-7d9f8c6b5-";
        metadata["namespace"] = "shop";
        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = owner + "-7d9f8c6b5",
            ["uid"] = "6a1b2c3d-0000-4000-8000-000000000001", ["controller"] = true, ["blockOwnerDeletion"] = true,
        });
        var spec = (JsonObject)template["spec"]!.DeepClone();
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["serviceAccountName"] ??= "default";
        // The ServiceAccount admission plugin runs before webhooks: every pod already has its token volume.
        if (spec["volumes"] is not JsonArray volumes) spec["volumes"] = volumes = [];
        volumes.Add(new JsonObject
        {
            ["name"] = "kube-api-access-x7k2p",
            ["projected"] = new JsonObject { ["defaultMode"] = 420, ["sources"] = new JsonArray(new JsonObject { ["serviceAccountToken"] = new JsonObject { ["path"] = "token", ["expirationSeconds"] = 3607 } }) },
        });
        foreach (var container in ((JsonArray)spec["containers"]!).OfType<JsonObject>())
        {
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            container["imagePullPolicy"] ??= "IfNotPresent";
            container["resources"] ??= new JsonObject();
            if (container["volumeMounts"] is not JsonArray mounts) container["volumeMounts"] = mounts = [];
            mounts.Add(new JsonObject { ["name"] = "kube-api-access-x7k2p", ["readOnly"] = true, ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount" });
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }
}
