namespace Lameduck.Cli.Tests.Lint;

/// <summary>Someone holding a rule id (from a SARIF result, a CI log) finds the rule's code with the file picker.</summary>
public sealed class RuleFilesTests
{
    [Fact]
    public void Every_rule_lives_in_a_file_named_after_its_id_and_class()
    {
        var rulesFolder = Path.Combine(RepoPaths.Root, "src", "Lameduck.Cli", "Lint", "Rules");
        var files = Directory.GetFiles(rulesFolder, "LD*.cs", SearchOption.AllDirectories);
        foreach (var rule in Cli.Lint.Rules.RuleCatalog.All)
        {
            var expected = $"{rule.Id}-{rule.GetType().Name}.cs";
            var file = Assert.Single(files, f => Path.GetFileName(f) == expected);
            Assert.Contains($"class {rule.GetType().Name}", File.ReadAllText(file));
        }
        Assert.Equal(Cli.Lint.Rules.RuleCatalog.All.Count, files.Length); // no rule file without a rule in the catalog
    }
}
