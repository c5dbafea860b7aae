using System.Text.RegularExpressions;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>
/// Every corpus manifest, linted alone with every rule, yields exactly the findings its
/// <c># expect: LDnnn</c> markers name, on the lines they are written on.
/// </summary>
public partial class CorpusTests
{
    public static TheoryData<string> Files() => FilesWhere(_ => true);

    /// <summary>The files of the rule folders (LD001/...), each about one rule.</summary>
    public static TheoryData<string> RuleFiles() => FilesWhere(relative => relative.StartsWith("LD", StringComparison.Ordinal));

    /// <summary>The files of General/, each about an input format.</summary>
    public static TheoryData<string> FormatFiles() => FilesWhere(relative => relative.StartsWith("General/", StringComparison.Ordinal));

    private static TheoryData<string> FilesWhere(Func<string, bool> keep)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Corpus, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(RepoPaths.Corpus, file).Replace('\\', '/');
            if (keep(relative)) data.Add(relative);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Findings_are_exactly_the_marked_rules_and_lines(string relative)
    {
        var path = Path.Combine(RepoPaths.Corpus, relative);
        var expected = Expected(path);

        var run = LintRun.Invoke([path, "--format", "json"]);

        Assert.True(run.ExitCode is 0 or 1, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Equal(expected, run.RuleLines());
        var expectsError = expected.Any(e => Cli.Lint.Rules.RuleCatalog.Find(e.Rule)!.Severity == Cli.Lint.Rules.Severity.Error);
        Assert.Equal(expectsError ? 1 : 0, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void Positive_files_expect_their_rule_and_negative_files_do_not(string relative)
    {
        var folder = relative.Split('/')[0];
        var rules = Expected(Path.Combine(RepoPaths.Corpus, relative)).Select(e => e.Rule).ToList();
        var name = Path.GetFileName(relative);

        if (name.StartsWith("positive-", StringComparison.Ordinal)) Assert.Contains(folder, rules);
        else if (name.StartsWith("negative-", StringComparison.Ordinal)) Assert.DoesNotContain(folder, rules);
        else Assert.Fail($"{relative}: corpus files are named positive-* or negative-*");
    }

    /// <summary>
    /// A format case proves its format is read only if something in it is found: a file that parsed to nothing
    /// would lint clean and pass the exact-findings test vacuously.
    /// </summary>
    [Theory]
    [MemberData(nameof(FormatFiles))]
    public void Format_files_expect_findings_so_reading_them_is_proven(string relative)
    {
        var expected = Expected(Path.Combine(RepoPaths.Corpus, relative));
        Assert.True(expected.Count > 0, $"{relative} has no '# expect:' marker: it would pass even if its format were not read at all");
    }

    [Fact]
    public void Every_rule_has_positive_and_negative_cases()
    {
        foreach (var rule in Cli.Lint.Rules.RuleCatalog.All)
        {
            var folder = Path.Combine(RepoPaths.Corpus, rule.Id);
            Assert.NotEmpty(Directory.GetFiles(folder, "positive-*.yaml"));
            Assert.NotEmpty(Directory.GetFiles(folder, "negative-*.yaml"));
        }
    }

    private static List<(string Rule, int Line)> Expected(string path)
    {
        var expected = new List<(string, int)>();
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            var marker = Marker().Match(lines[i]);
            if (!marker.Success) continue;
            foreach (var rule in marker.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                expected.Add((rule, i + 1));
            }
        }
        expected.Sort();
        return expected;
    }

    [GeneratedRegex(@"#\s*expect:\s*(LD\d{3}(?:\s*,\s*LD\d{3})*)\s*$")]
    private static partial Regex Marker();
}
