using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>Reads the inputs, runs the enabled rules, drops what objects suppress and sorts the rest.</summary>
internal sealed class Linter(IReadOnlyList<LintRule> rules, KubeVersion kubeVersion, Func<Stream> openStandardInput, PathFilter? exclude = null, bool strict = false)
{
    /// <summary>Lints every path (files, folders, <c>-</c>); each path is one input set.</summary>
    public LintResult Run(IReadOnlyList<string> paths)
    {
        var read = new InputReader(openStandardInput, exclude).Read(paths);
        var manifests = ManifestSet.From(read.Documents);
        var skipped = new List<(string File, int Line, string Reason)>(manifests.Skipped);
        var withContent = read.Documents.Where(d => d.Root is not null and not YamlScalar { IsNull: true }).Select(d => d.File).ToHashSet();
        foreach (var file in read.Files.Where(f => !withContent.Contains(f)))
        {
            skipped.Add((file.DisplayPath, 1, "empty: no YAML document, nothing to lint"));
        }
        var context = new LintContext(manifests, kubeVersion);
        var suppressions = SuppressionsOf(manifests);
        int suppressed = 0;
        var findings = new List<Finding>();
        foreach (var finding in rules.SelectMany(r => r.Check(context)))
        {
            if (suppressions.TryGetValue((finding.File, finding.Namespace ?? "", finding.Object), out var ids) && ids.Contains(finding.Rule)) suppressed++;
            else findings.Add(finding);
        }
        findings.Sort(Finding.Order);
        return new LintResult(findings, read.NamingErrors, skipped, manifests.Objects.Count, read.Files.Count)
        {
            UnreadableFiles = read.UnreadableFiles,
            Strict = strict,
            Suppressed = suppressed,
            Excluded = read.Excluded,
        };
    }

    private static Dictionary<(string File, string Namespace, string Object), IReadOnlySet<string>> SuppressionsOf(ManifestSet manifests)
    {
        var map = new Dictionary<(string, string, string), IReadOnlySet<string>>();
        foreach (var obj in manifests.Objects)
        {
            var rules = Suppression.RulesOf(obj);
            if (rules.Count > 0) map[(obj.Document.File.DisplayPath, obj.Namespace, obj.Id)] = rules;
        }
        return map;
    }
}
