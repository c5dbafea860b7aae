using System.Text.RegularExpressions;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>
/// Every corpus manifest, linted alone with every rule, yields exactly the findings its
/// <c># expect: LDnnn</c> markers name, on the lines they are written on.
/// </summary>
public partial class CorpusTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Corpus, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Corpus, file).Replace('\\', '/'));
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
    [MemberData(nameof(Files))]
    public void Positive_files_expect_their_rule_and_negative_files_do_not(string relative)
    {
        var folder = relative.Split('/')[0];
        if (!folder.StartsWith("LD", StringComparison.Ordinal)) return; // General/ covers formats, not one rule
        var rules = Expected(Path.Combine(RepoPaths.Corpus, relative)).Select(e => e.Rule).ToList();
        var name = Path.GetFileName(relative);

        if (name.StartsWith("positive-", StringComparison.Ordinal)) Assert.Contains(folder, rules);
        else if (name.StartsWith("negative-", StringComparison.Ordinal)) Assert.DoesNotContain(folder, rules);
        else Assert.Fail($"{relative}: corpus files are named positive-* or negative-*");
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
