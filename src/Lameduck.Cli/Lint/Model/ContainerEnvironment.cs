using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A variable a container's environment sets, literal or through <c>envFrom</c> a ConfigMap of the input.</summary>
/// <param name="Name">The variable's name as written.</param>
/// <param name="Value">Its value; null when it comes from a <c>valueFrom</c> the linter cannot read.</param>
/// <param name="Node">Where it is set (the line to edit).</param>
/// <param name="Source">How messages name it: <c>env Lameduck__Delay</c>, <c>env LAMEDUCK_DELAY from ConfigMap/x</c>.</param>
internal sealed record EnvironmentSetting(string Name, YamlScalar? Value, YamlNode Node, string Source);

/// <summary>Looks variables up the way the kubelet builds the environment: <c>env</c> wins over <c>envFrom</c>.</summary>
internal static class ContainerEnvironment
{
    /// <summary>The first variable whose name satisfies <paramref name="matches"/>, or null.</summary>
    public static EnvironmentSetting? Find(Container container, Workload workload, ManifestSet set, Func<string, bool> matches)
    {
        foreach (var env in container.Env)
        {
            if (matches(env.Name)) return new EnvironmentSetting(env.Name, env.Value, env.Node, $"env {env.Name}");
        }
        foreach (var name in container.EnvFromConfigMaps)
        {
            var data = set.FindConfigMap(workload.Object, name)?.Root.MappingAt("data");
            foreach (var entry in data?.Entries ?? [])
            {
                if (entry.KeyText is { } key && matches(key))
                {
                    return new EnvironmentSetting(key, entry.Value as YamlScalar, entry.Key, $"env {key} from ConfigMap/{name}");
                }
            }
        }
        return null;
    }

    /// <summary>True for a .NET configuration key of the Lameduck section (keys ignore case): <c>Lameduck__Delay</c>.</summary>
    public static Func<string, bool> LameduckOption(string option) =>
        name => string.Equals(name, $"Lameduck__{option}", StringComparison.OrdinalIgnoreCase);
}
