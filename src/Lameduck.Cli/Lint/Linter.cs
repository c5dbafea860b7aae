using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>Reads the inputs, runs the enabled rules and sorts what they find.</summary>
internal sealed class Linter(IReadOnlyList<LintRule> rules, KubeVersion kubeVersion, Func<Stream> openStandardInput)
{
    /// <summary>Lints every path (files, folders, <c>-</c>).</summary>
    public LintResult Run(IReadOnlyList<string> paths)
    {
        var (files, documents, errors) = new InputReader(openStandardInput).Read(paths);
        var manifests = ManifestSet.From(documents);
        var skipped = new List<(string File, int Line, string Reason)>(manifests.Skipped);
        var withContent = documents.Where(d => d.Root is not null and not YamlScalar { IsNull: true }).Select(d => d.File).ToHashSet();
        foreach (var file in files.Where(f => !withContent.Contains(f)))
        {
            skipped.Add((file.DisplayPath, 1, "empty: no YAML document, nothing to lint"));
        }
        var context = new LintContext(manifests, kubeVersion);
        var findings = rules.SelectMany(r => r.Check(context)).Order(Finding.Order).ToList();
        return new LintResult(findings, errors, skipped, manifests.Objects.Count, files.Count);
    }
}
