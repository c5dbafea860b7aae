using Lameduck.Cli.Lint.Input;
using Lameduck.Contract.Budget;

namespace Lameduck.Cli.Lint.Model;

/// <summary>The parts of a pod spec that decide how a pod shuts down.</summary>
internal sealed class PodSpec
{
    /// <summary>Kubernetes' default <c>terminationGracePeriodSeconds</c> (the shutdown contract's).</summary>
    public static readonly long DefaultGracePeriodSeconds = (long)ShutdownDefaults.GracePeriod.TotalSeconds;

    public PodSpec(YamlMapping node)
    {
        Node = node;
        GracePeriodNode = node.ScalarAt("terminationGracePeriodSeconds");
        GracePeriodSeconds = GracePeriodNode.AsInteger() ?? DefaultGracePeriodSeconds;
        Containers = [.. node["containers"].Items().OfType<YamlMapping>().Select(c => new Container(c))];
        ConfigMapVolumes = [.. node["volumes"].Items().Select(v => v.TextAt("configMap", "name")).OfType<string>()];
    }

    /// <summary>The pod spec mapping.</summary>
    public YamlMapping Node { get; }

    /// <summary>The <c>terminationGracePeriodSeconds</c> value node, when set.</summary>
    public YamlScalar? GracePeriodNode { get; }

    /// <summary>The grace period in seconds (30 when not set).</summary>
    public long GracePeriodSeconds { get; }

    /// <summary>How the grace period reads in a message: <c>30 s (the default)</c>.</summary>
    public string GracePeriodText => GracePeriodNode is null ? $"{GracePeriodSeconds} s (the default)" : $"{GracePeriodSeconds} s";

    /// <summary>The app containers (init containers do not serve).</summary>
    public List<Container> Containers { get; }

    /// <summary>Names of ConfigMaps mounted as volumes.</summary>
    public List<string> ConfigMapVolumes { get; }
}
