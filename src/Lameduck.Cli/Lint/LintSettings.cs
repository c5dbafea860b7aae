using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Output;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>What a <c>lameduck lint</c> run was asked to do, checked: every value here is usable.</summary>
/// <param name="Paths">Files, folders and <c>-</c>; each is one input set.</param>
/// <param name="Format">The report format.</param>
/// <param name="KubeVersion">The targeted Kubernetes version.</param>
/// <param name="Rules">The enabled rules.</param>
/// <param name="OutputFile">Where the report goes; null for stdout.</param>
/// <param name="Exclude">Files not to read (<c>--exclude</c> and the configuration's <c>exclude</c>).</param>
/// <param name="Strict">A file that cannot be parsed fails the run (exit 2) instead of being reported and skipped.</param>
/// <param name="Config">The configuration file used, if any.</param>
internal sealed record LintSettings(
    IReadOnlyList<string> Paths, ReportFormat Format, KubeVersion KubeVersion, IReadOnlyList<LintRule> Rules, string? OutputFile,
    PathFilter Exclude, bool Strict, string? Config)
{
    /// <summary>The flags as given (null or empty when not given).</summary>
    public sealed record Flags(
        string[] Paths, string Format, string? KubeVersion, string[] Ignore, string? OutputFile, string[] Exclude, bool Strict, string? ConfigFile);

    /// <summary>
    /// Checks the flags and merges them with the configuration (<paramref name="config"/>): lists add up, <c>--strict</c>
    /// or the file's <c>strict: true</c> turns strict mode on, <c>--kube-version</c> wins over the file's.
    /// Throws <see cref="UsageException"/> naming the argument, flag or configuration line at fault.
    /// </summary>
    public static LintSettings From(Flags flags, LintConfig config)
    {
        var paths = flags.Paths;
        if (paths.Length == 0) throw new UsageException("PATH: name at least one manifest file or folder, or - for stdin");
        // PATH takes any number of words, so the parser hands an unknown or misspelt flag over as a path: say what it is.
        if (paths.FirstOrDefault(p => p.StartsWith('-') && p != "-") is { } flag)
            throw new UsageException($"unknown option '{flag}' (see lameduck lint --help; a file whose name starts with '-' is ./{flag})");
        ReportFormat? reportFormat = flags.Format.ToLowerInvariant() switch
        {
            "text" => ReportFormat.Text,
            "short" => ReportFormat.Short,
            "json" => ReportFormat.Json,
            "sarif" => ReportFormat.Sarif,
            _ => null,
        };
        if (reportFormat is null) throw new UsageException($"--format: '{flags.Format}' is not a format (text, short, json or sarif)");
        var kubeText = flags.KubeVersion ?? config.KubeVersion ?? KubeVersion.Default.ToString();
        if (!KubeVersion.TryParse(kubeText, out var version))
        {
            var where = flags.KubeVersion is null && config.KubeVersion is not null ? $"{config.Path}: kube-version" : "--kube-version";
            throw new UsageException($"{where}: '{kubeText}' is not a Kubernetes version (expected e.g. 1.30)");
        }
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, source) in config.Ignore.Select(i => (i, $"{config.Path}: ignore"))
                     .Concat(flags.Ignore.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(i => (i, "--ignore/--disable"))))
        {
            if (RuleCatalog.Find(id) is not { } rule)
            {
                throw new UsageException($"{source}: '{id}' is not a rule (rules: {string.Join(", ", RuleCatalog.All.Select(r => r.Id))})");
            }
            disabled.Add(rule.Id);
        }
        var rules = RuleCatalog.All.Where(r => !disabled.Contains(r.Id)).ToList();
        var exclude = new PathFilter([.. config.Exclude, .. flags.Exclude]);
        return new LintSettings(paths, reportFormat.Value, version, rules, flags.OutputFile, exclude, flags.Strict || config.Strict, config.Path);
    }
}
