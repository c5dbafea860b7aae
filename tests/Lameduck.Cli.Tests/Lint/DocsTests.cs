using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>docs/lint.md has a section per rule with the same why and fix the tool prints and puts in SARIF.</summary>
public class DocsTests
{
    [Fact]
    public void Every_rule_has_a_section_with_its_severity_why_and_fix()
    {
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "lint.md")).ReplaceLineEndings("\n");
        foreach (var rule in RuleCatalog.All)
        {
            var start = docs.IndexOf($"### {rule.Id}: {rule.Summary}", StringComparison.Ordinal);
            Assert.True(start >= 0, $"docs/lint.md has no section '### {rule.Id}: {rule.Summary}'");
            var end = docs.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
            var section = end < 0 ? docs[start..] : docs[start..end];
            Assert.Contains($"**Severity:** {rule.Severity.ToText()}", section);
            Assert.Contains(rule.Why, section);
            Assert.Contains($"```yaml\n{rule.FixYaml}\n```", section);
            Assert.Contains($"**Not reported.** {rule.NotReported}", section);
        }
    }
}
