using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lint.Output;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>What a <c>lameduck lint</c> run was asked to do, checked: every value here is usable.</summary>
/// <param name="Paths">Files, folders and <c>-</c>.</param>
/// <param name="Format">The report format.</param>
/// <param name="KubeVersion">The targeted Kubernetes version.</param>
/// <param name="Rules">The enabled rules.</param>
/// <param name="OutputFile">Where the report goes; null for stdout.</param>
internal sealed record LintSettings(
    IReadOnlyList<string> Paths, ReportFormat Format, KubeVersion KubeVersion, IReadOnlyList<LintRule> Rules, string? OutputFile)
{
    /// <summary>Checks the raw option values; throws <see cref="UsageException"/> naming the argument or flag at fault.</summary>
    public static LintSettings From(
        string[] paths, string format, string kubeVersion, string[] disable, string? outputFile)
    {
        if (paths.Length == 0) throw new UsageException("PATH: name at least one manifest file or folder, or - for stdin");
        // PATH takes any number of words, so the parser hands an unknown or misspelt flag over as a path: say what it is.
        if (paths.FirstOrDefault(p => p.StartsWith('-') && p != "-") is { } flag)
            throw new UsageException($"unknown option '{flag}' (see lameduck lint --help; a file whose name starts with '-' is ./{flag})");
        ReportFormat? reportFormat = format.ToLowerInvariant() switch
        {
            "text" => ReportFormat.Text,
            "json" => ReportFormat.Json,
            "sarif" => ReportFormat.Sarif,
            _ => null,
        };
        if (reportFormat is null) throw new UsageException($"--format: '{format}' is not a format (text, json or sarif)");
        if (!KubeVersion.TryParse(kubeVersion, out var version))
        {
            throw new UsageException($"--kube-version: '{kubeVersion}' is not a Kubernetes version (expected e.g. 1.30)");
        }
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in disable.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (RuleCatalog.Find(id) is not { } rule)
            {
                throw new UsageException($"--disable: '{id}' is not a rule (rules: {string.Join(", ", RuleCatalog.All.Select(r => r.Id))})");
            }
            disabled.Add(rule.Id);
        }
        var rules = RuleCatalog.All.Where(r => !disabled.Contains(r.Id)).ToList();
        return new LintSettings(paths, reportFormat.Value, version, rules, outputFile);
    }
}
