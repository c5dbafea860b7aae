using Lameduck.Cli.Lint.Input;
using Lameduck.Contract.Presets;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A container of a pod spec, with the fields the rules read and where each was written.</summary>
internal sealed class Container
{
    public Container(YamlMapping node)
    {
        Node = node;
        NameNode = node.ScalarAt("name");
        Name = NameNode?.Value ?? "(unnamed)";
        ImageNode = node.ScalarAt("image");
        Image = ImageNode is null ? null : ImageReference.Parse(ImageNode.Value);
        Command = [.. node["command"].Items().OfType<YamlScalar>()];
        Args = [.. node["args"].Items().OfType<YamlScalar>()];
        Env = [.. node["env"].Items().OfType<YamlMapping>().Select(EnvVar.From).OfType<EnvVar>()];
        EnvFromConfigMaps = [.. node["envFrom"].Items().Select(e => e.TextAt("configMapRef", "name")).OfType<string>()];
        Ports = [.. node["ports"].Items().Select(p => p.ScalarAt("containerPort")).OfType<YamlScalar>()];
        PortNames = [.. node["ports"].Items().Select(p => p.TextAt("name")).OfType<string>()];
        Readiness = node.MappingAt("readinessProbe");
        Liveness = node.MappingAt("livenessProbe");
        var preStop = node.MappingAt("lifecycle", "preStop");
        PreStop = preStop is null ? null : PreStopHook.From(node.KeyAt("lifecycle", "preStop")!, preStop);
        StopSignal = node.ScalarAt("lifecycle", "stopSignal");
    }

    /// <summary>The container mapping.</summary>
    public YamlMapping Node { get; }

    /// <summary>The container's name.</summary>
    public string Name { get; }

    /// <summary>The <c>name:</c> value (a container's findings without a better field point here).</summary>
    public YamlScalar? NameNode { get; }

    /// <summary>The line to point at for the container as a whole.</summary>
    public YamlNode Anchor => NameNode ?? (YamlNode)Node;

    /// <summary>The <c>image:</c> value, when set.</summary>
    public YamlScalar? ImageNode { get; }

    /// <summary>The parsed image reference, when set.</summary>
    public ImageReference? Image { get; }

    /// <summary><c>command</c> items (the image's ENTRYPOINT when empty).</summary>
    public List<YamlScalar> Command { get; }

    /// <summary><c>args</c> items (the image's CMD when empty and no command is given).</summary>
    public List<YamlScalar> Args { get; }

    /// <summary>The process's argv as far as the manifest says: command then args.</summary>
    public IEnumerable<YamlScalar> Argv => Command.Concat(Args);

    /// <summary>Literal environment variables.</summary>
    public List<EnvVar> Env { get; }

    /// <summary>ConfigMaps whose keys become environment variables.</summary>
    public List<string> EnvFromConfigMaps { get; }

    /// <summary><c>containerPort</c> values.</summary>
    public List<YamlScalar> Ports { get; }

    /// <summary>The <c>name</c>s of its ports (a Service's <c>targetPort</c> may name one).</summary>
    public List<string> PortNames { get; }

    /// <summary>True when the container declares <paramref name="target"/> (a Service's targetPort: a number or a port name).</summary>
    public bool Declares(string target) => Ports.Any(p => p.Value == target) || PortNames.Contains(target, StringComparer.Ordinal);

    /// <summary>The readiness probe, when set.</summary>
    public YamlMapping? Readiness { get; }

    /// <summary>The liveness probe, when set.</summary>
    public YamlMapping? Liveness { get; }

    /// <summary>The preStop hook, when set.</summary>
    public PreStopHook? PreStop { get; }

    /// <summary><c>lifecycle.stopSignal</c> (Kubernetes 1.33+), when set.</summary>
    public YamlScalar? StopSignal { get; }

    /// <summary>True when the container's process is lameduck-init (it wraps the real server).</summary>
    public bool RunsUnderLameduckInit => LameduckInitCommand.IsProcess(this);
}
