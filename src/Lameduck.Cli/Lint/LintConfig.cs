using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint;

/// <summary>
/// The settings of a <c>.lameduck-lint.yaml</c> (or <c>--config FILE</c>): the same as the flags, which add to them.
/// <code>
/// ignore: [LD007]                 # rules to skip (--ignore), a list or "LD007,LD005"
/// exclude: ["vendor/**", "*.tpl.yaml"]   # globs of files not to read (--exclude)
/// strict: true                    # a file that cannot be parsed fails the run (--strict)
/// kube-version: "1.31"            # --kube-version (the flag wins when given)
/// </code>
/// </summary>
/// <param name="Path">Where it was read from; null when there is none.</param>
internal sealed record LintConfig(string? Path, IReadOnlyList<string> Ignore, IReadOnlyList<string> Exclude, bool Strict, string? KubeVersion)
{
    /// <summary>The file auto-discovery looks for.</summary>
    public const string FileName = ".lameduck-lint.yaml";

    /// <summary>No configuration.</summary>
    public static readonly LintConfig None = new(null, [], [], false, null);

    /// <summary>
    /// The configuration to use: <paramref name="explicitPath"/> when given (it must exist), else the first
    /// <c>.lameduck-lint.yaml</c> in <paramref name="directory"/> or one of its parents, else none.
    /// </summary>
    /// <exception cref="UsageException">The file is missing, unreadable or holds an unknown or mistyped setting.</exception>
    public static LintConfig Find(string? explicitPath, string directory)
    {
        if (explicitPath is not null)
        {
            if (!File.Exists(explicitPath)) throw new UsageException($"--config: '{explicitPath}' does not exist");
            return Read(explicitPath);
        }
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, FileName);
            if (File.Exists(candidate)) return Read(candidate);
        }
        return None;
    }

    private static LintConfig Read(string path)
    {
        List<ManifestDocument> documents;
        try
        {
            var text = TextDecoder.Decode(new SourceFile(path), File.ReadAllBytes(path));
            documents = YamlLoader.Load(new SourceFile(path), text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}:1: cannot read the lint configuration: {e.Message}");
        }
        var root = documents.FirstOrDefault()?.Root;
        if (root is null or YamlScalar { IsNull: true }) return None with { Path = path };
        if (root is not YamlMapping mapping) throw new UsageException($"{path}:{root.Line}: the lint configuration must be a mapping (ignore, exclude, strict, kube-version)");
        var ignore = new List<string>();
        var exclude = new List<string>();
        bool strict = false;
        string? kube = null;
        foreach (var entry in mapping.Entries)
        {
            switch (entry.KeyText)
            {
                case "ignore" or "disable":
                    ignore.AddRange(Words(entry.Value, path));
                    break;
                case "exclude":
                    exclude.AddRange(Words(entry.Value, path));
                    break;
                case "strict":
                    strict = entry.Value is YamlScalar { Value: var b } && b.Equals("true", StringComparison.OrdinalIgnoreCase)
                        ? true
                        : entry.Value is YamlScalar { Value: var f } && f.Equals("false", StringComparison.OrdinalIgnoreCase)
                            ? false
                            : throw new UsageException($"{path}:{entry.Value.Line}: strict: expected true or false");
                    break;
                case "kube-version":
                    kube = (entry.Value as YamlScalar)?.Value ?? throw new UsageException($"{path}:{entry.Value.Line}: kube-version: expected a version such as 1.30");
                    break;
                default:
                    throw new UsageException($"{path}:{entry.Key.Line}: unknown setting '{entry.KeyText}' (settings: ignore, exclude, strict, kube-version)");
            }
        }
        return new LintConfig(path, ignore, exclude, strict, kube);
    }

    // A list of strings, or one string of comma-separated words.
    private static IEnumerable<string> Words(YamlNode value, string path) => value switch
    {
        YamlScalar { IsNull: true } => [],
        YamlScalar s => s.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        YamlSequence q => q.Items.Select(i => (i as YamlScalar)?.Value ?? throw new UsageException($"{path}:{i.Line}: expected a string")),
        _ => throw new UsageException($"{path}:{value.Line}: expected a list of strings"),
    };
}
