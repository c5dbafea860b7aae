using System.Text.Json.Nodes;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Inject.Mutation;

/// <summary>
/// Gets the lameduck-init binary into a pod whose image does not have it: an init container runs
/// <c>/lameduck-init install /lameduck</c> (the binary copies itself; its image has no shell) into an
/// <c>emptyDir</c> that the app containers mount read-only, as docs/init.md describes. A pod that already has
/// such an init container (injected before, or written by hand) keeps it.
/// </summary>
internal sealed class InitDelivery
{
    /// <summary>The volume, init container and mount path inject uses when the pod has none.</summary>
    public const string VolumeName = "lameduck";
    public const string InitContainerName = "lameduck-init";
    public const string Directory = "/lameduck";

    private readonly JsonObject _spec;
    private readonly string _image;

    private InitDelivery(JsonObject spec, string image, string volume, string directory, bool present)
    {
        _spec = spec;
        _image = image;
        Volume = volume;
        MountPath = directory;
        Present = present;
    }

    /// <summary>The emptyDir volume that holds the binary.</summary>
    public string Volume { get; }

    /// <summary>Where containers mount it.</summary>
    public string MountPath { get; }

    /// <summary>The binary's path inside an app container.</summary>
    public string Binary => MountPath.TrimEnd('/') + "/lameduck-init";

    private bool Present { get; set; }

    /// <summary>
    /// How the pod gets the binary: the init container it has, or the one inject will add. Null, with the reason,
    /// when names inject would use are taken by something else.
    /// </summary>
    public static (InitDelivery? Delivery, string? Conflict) For(PodSpec pod, JsonObject spec, string image)
    {
        foreach (var init in pod.Node["initContainers"].Items().OfType<YamlMapping>())
        {
            var argv = new Container(init).Argv.Select(a => a.Value).ToList();
            if (argv is [var program, "install", var dir] && ShellWords.BaseName(program) == "lameduck-init")
            {
                var mount = init["volumeMounts"].Items().FirstOrDefault(m => m.TextAt("mountPath") is { } p && p.TrimEnd('/') == dir.TrimEnd('/'));
                if (mount?.TextAt("name") is { } volume) return (new InitDelivery(spec, image, volume, dir, present: true), null);
            }
        }
        if (pod.Node["initContainers"].Items().Any(i => i.TextAt("name") == InitContainerName))
        {
            return (null, $"the pod already has an init container named {InitContainerName} that does not install lameduck-init");
        }
        if (pod.Node["volumes"].Items().Any(v => v.TextAt("name") == VolumeName))
        {
            return (null, $"the pod already has a volume named {VolumeName}");
        }
        return (new InitDelivery(spec, image, VolumeName, Directory, present: false), null);
    }

    /// <summary>Null when <paramref name="container"/> can mount the volume (or has), else why not (its own mount uses that path).</summary>
    public string? ConflictIn(JsonObject container) =>
        ExistingMount(container) is { } mount && JsonEdits.Text(mount["name"]) != Volume
            ? $"it mounts something else at {MountPath}, where lameduck-init would go"
            : null;

    /// <summary>Adds the volume and the init container (once), and mounts the volume into <paramref name="container"/> (unless it has; check <see cref="ConflictIn"/> first).</summary>
    public void MountInto(JsonObject container)
    {
        if (ExistingMount(container) is not null) return;
        EnsureInPod();
        JsonEdits.ArrayAt(container, "volumeMounts").Add(new JsonObject
        {
            ["name"] = Volume,
            ["mountPath"] = MountPath,
            ["readOnly"] = true,
        });
    }

    private JsonObject? ExistingMount(JsonObject container) =>
        (container["volumeMounts"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(m => JsonEdits.Text(m["mountPath"])?.TrimEnd('/') == MountPath.TrimEnd('/'));

    private void EnsureInPod()
    {
        if (Present) return;
        Present = true;
        JsonEdits.ArrayAt(_spec, "volumes").Add(new JsonObject { ["name"] = Volume, ["emptyDir"] = new JsonObject() });
        JsonEdits.ArrayAt(_spec, "initContainers").Add(new JsonObject
        {
            ["name"] = InitContainerName,
            ["image"] = _image,
            ["command"] = new JsonArray("/lameduck-init", "install", MountPath),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = Volume, ["mountPath"] = MountPath }),
            // Small and fixed: it copies a 1.2 MB file and exits. Namespaces with a LimitRange or quota need them.
            ["resources"] = new JsonObject
            {
                ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "16Mi" },
                ["limits"] = new JsonObject { ["memory"] = "16Mi" },
            },
            // Passes the "restricted" Pod Security Standard: the image is a scratch image holding one static-ish binary.
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 65532,
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
        });
    }
}
