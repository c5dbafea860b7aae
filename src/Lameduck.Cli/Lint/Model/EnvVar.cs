using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A literal environment variable (<c>valueFrom</c> ones have no value the linter can read).</summary>
internal sealed record EnvVar(string Name, YamlScalar? Value, YamlNode Node)
{
    /// <summary>Reads one <c>env</c> item; null when it has no name.</summary>
    public static EnvVar? From(YamlMapping item) =>
        item.ScalarAt("name") is { } name ? new EnvVar(name.Value, item["value"] as YamlScalar, (YamlNode?)item.ScalarAt("value") ?? name) : null;
}
