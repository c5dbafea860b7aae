using System.Globalization;
using Lameduck.Cli.Lint.Input;
using Lameduck.Text;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A lame-duck delay a container declares: the window it keeps serving after SIGTERM.</summary>
/// <param name="Value">The delay; null when declared but unreadable (e.g. taken from a Secret).</param>
/// <param name="Node">Where it is declared.</param>
/// <param name="Source">How messages name the declaration: <c>env Lameduck__Delay</c>, <c>lameduck-init --delay</c>.</param>
internal sealed record DelayDeclaration(TimeSpan? Value, YamlNode Node, string Source)
{
    /// <summary>
    /// The delay a container declares, looked up in this order: the Lameduck library's configuration
    /// (<c>Lameduck__Delay</c>, a .NET TimeSpan such as <c>00:00:05</c>; configuration keys ignore case),
    /// lameduck-init's <c>--delay</c> flag and <c>LAMEDUCK_DELAY</c> variable (<c>5s</c>, <c>1m30s</c>),
    /// then the same variables in ConfigMaps named by <c>envFrom</c>.
    /// </summary>
    public static DelayDeclaration? Find(Container container, Workload workload, ManifestSet set)
    {
        foreach (var env in container.Env)
        {
            if (FromVariable(env.Name, env.Value, env.Node) is { } found) return found;
        }
        if (container.RunsUnderLameduckInit && FromInitFlags(container) is { } flag) return flag;
        foreach (var name in container.EnvFromConfigMaps)
        {
            var data = set.FindConfigMap(workload.Object.Namespace, name)?.Root.MappingAt("data");
            foreach (var entry in data?.Entries ?? [])
            {
                if (entry.KeyText is { } key && FromVariable(key, entry.Value as YamlScalar, entry.Key) is { } found)
                {
                    return found with { Source = $"{found.Source} from ConfigMap/{name}" };
                }
            }
        }
        return null;
    }

    private static DelayDeclaration? FromVariable(string name, YamlScalar? value, YamlNode node)
    {
        if (string.Equals(name, "Lameduck__Delay", StringComparison.OrdinalIgnoreCase))
        {
            // ConfigurationBinder converts TimeSpans with TimeSpan.Parse(invariant): "00:00:05", "5.00:00" (and "5" is 5 days).
            TimeSpan? parsed = value is not null && TimeSpan.TryParse(value.Value, CultureInfo.InvariantCulture, out var t) ? t : null;
            return new DelayDeclaration(parsed, node, $"env {name}");
        }
        if (name == "LAMEDUCK_DELAY")
        {
            TimeSpan? parsed = value is not null && DurationText.TryParse(value.Value, out var t, out _) ? t : null;
            return new DelayDeclaration(parsed, node, $"env {name}");
        }
        return null;
    }

    private static DelayDeclaration? FromInitFlags(Container container)
    {
        var argv = container.Argv.ToList();
        for (int i = 1; i < argv.Count && argv[i].Value != "--"; i++)
        {
            var word = argv[i].Value;
            string? text = word == "--delay" && i + 1 < argv.Count ? argv[i + 1].Value
                : word.StartsWith("--delay=", StringComparison.Ordinal) ? word["--delay=".Length..] : null;
            if (text is null) continue;
            TimeSpan? parsed = DurationText.TryParse(text, out var t, out _) ? t : null;
            return new DelayDeclaration(parsed, argv[i], "lameduck-init --delay");
        }
        return null;
    }
}
