using System.Text.Json;
using Lameduck.Cli.Lint;
using Lameduck.Cli.Lint.Output;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>The three report formats: text for people, JSON per shared/DESIGN.md, SARIF 2.1.0 for GitHub code scanning.</summary>
public class OutputFormatTests
{
    private static string Helm => Path.Combine(RepoPaths.Corpus, "General", "helm-template.yaml");
    private static string Ld001 => Path.Combine(RepoPaths.Corpus, "LD001", "positive-native-sleep.yaml");

    [Fact]
    public void Json_findings_carry_exactly_the_contract_fields()
    {
        var run = LintRun.Invoke([Helm, Ld001, "--format", "json"]);

        var root = JsonDocument.Parse(run.Stdout).RootElement;
        // DESIGN.md's fields first and unchanged; later additions after them.
        Assert.Equal(["findings", "not_linted", "tally", "suppressed"], root.EnumerateObject().Select(p => p.Name));
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(4, findings.Count);
        foreach (var f in findings)
        {
            Assert.Equal(["rule", "severity", "file", "line", "object", "container", "message", "fix", "namespace"], f.EnumerateObject().Select(p => p.Name));
            Assert.Matches("^LD00[1-9]$", f.GetProperty("rule").GetString()!);
            Assert.Contains(f.GetProperty("severity").GetString(), new[] { "error", "warning", "info" });
            Assert.True(f.GetProperty("line").GetInt32() > 0);
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("fix").GetString()));
        }
        var ld001 = findings.Single(f => f.GetProperty("rule").GetString() == "LD001");
        Assert.Equal("error", ld001.GetProperty("severity").GetString());
        Assert.Equal(Ld001, ld001.GetProperty("file").GetString());
        Assert.Equal(13, ld001.GetProperty("line").GetInt32());
        Assert.Equal("Pod/worker", ld001.GetProperty("object").GetString());
        Assert.Equal("worker", ld001.GetProperty("container").GetString());
        var ld007 = findings.Single(f => f.GetProperty("rule").GetString() == "LD007");
        Assert.Equal(JsonValueKind.Null, ld007.GetProperty("container").ValueKind); // about the whole Deployment
        Assert.Equal("Deployment/release-shop", ld007.GetProperty("object").GetString());
        Assert.Equal(JsonValueKind.Null, ld007.GetProperty("namespace").ValueKind);
        Assert.Equal(1, root.GetProperty("tally").GetProperty("LD001").GetInt32());
        Assert.Equal(0, root.GetProperty("suppressed").GetInt32());
    }

    [Fact]
    public void Findings_are_sorted_by_file_then_line()
    {
        var run = LintRun.Invoke([Ld001, Helm, "--format", "json"]);
        var keys = run.Findings().Select(f => (f.GetProperty("file").GetString()!, f.GetProperty("line").GetInt32())).ToList();
        Assert.Equal(keys.OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2), keys);
        Assert.Equal(run.Stdout, LintRun.Invoke([Ld001, Helm, "--format", "json"]).Stdout);
    }

    [Fact]
    public void Text_groups_by_file_and_object_and_ends_with_a_tally_and_a_summary()
    {
        var run = LintRun.Invoke([Helm, Ld001]);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal(Helm, lines[0]);
        Assert.Equal("  Deployment/release-shop  (from shop/templates/deployment.yaml)", lines[1]);
        Assert.Matches(@"^\s+22\s+warning\s+LD007\s+runs 1 replica \(spec.replicas\) and is the only backend of", lines[2]);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("fix: run at least 2 replicas", StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+32\s+warning\s+LD005\s+container 'shop': "));
        Assert.Contains(Ld001, lines);
        Assert.Contains("  Pod/worker", lines);
        Assert.Equal("By rule: LD001 1, LD005 1, LD006 1, LD007 1", lines[^2]);
        Assert.Equal("1 error, 3 warnings in 2 objects (4 objects in 2 files linted).", lines[^1]);
        Assert.All(lines.Where(l => l.StartsWith(' ')), l => Assert.True(l.Length <= TextReport.DefaultWidth, $"longer than the width: {l}"));
    }

    [Fact]
    public void Text_wraps_to_the_width_and_prints_a_repeated_fix_once()
    {
        var mesh = Path.Combine(RepoPaths.Root, "tests", "Lameduck.Cli.Tests", "Lint", "Precision", "HeldOut", "mesh-samples.yaml");
        var result = new Linter(RuleCatalog.All, KubeVersion.Default, () => Stream.Null).Run([mesh]);
        var text = new StringWriter();
        TextReport.Write(result, text, 70);
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        // Only a file's own path (the group header) may be longer than the width: it is never cut.
        Assert.All(lines.Where(l => l.StartsWith(' ')), l => Assert.True(l.Length <= 70, $"longer than 70 columns: {l}"));
        Assert.Equal(1, lines.Count(l => l.TrimStart().StartsWith("fix: add a readinessProbe", StringComparison.Ordinal)));
        Assert.Equal(result.Findings.Count(f => f.Rule == "LD005") - 1, lines.Count(l => l.TrimStart() == "fix: as above (LD005)"));
    }

    [Theory]
    [InlineData("132", 80, 132)]
    [InlineData(null, 150, 150)]
    [InlineData(null, null, 100)]
    [InlineData("abc", null, 100)]
    [InlineData("20", null, 60)]
    public void The_width_comes_from_COLUMNS_then_the_terminal_then_100(string? columns, int? terminal, int expected) =>
        Assert.Equal(expected, TextReport.WidthFrom(columns, terminal));

    [Fact]
    public void Short_format_is_one_path_line_rule_message_per_finding()
    {
        var run = LintRun.Invoke([Ld001, "--format", "short"]);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^" + System.Text.RegularExpressions.Regex.Escape(Ld001) + @":13: LD001 preStop sleeps .* \(Pod/worker, container 'worker'\)$", lines[0]);
        Assert.StartsWith("1 error, 0 warnings", lines[^1]);
    }

    [Fact]
    public void Text_says_so_when_nothing_is_found()
    {
        var run = LintRun.Invoke([Path.Combine(RepoPaths.Corpus, "LD001", "negative-sleep-fits.yaml")]);
        Assert.Equal("No shutdown hazards found (1 object in 1 file linted).", run.Stdout.Trim());
    }

    [Fact]
    public void Sarif_has_the_structure_github_code_scanning_reads()
    {
        var rules = RuleCatalog.All;
        var result = new Linter(rules, KubeVersion.Default, () => Stream.Null).Run([Helm, Ld001]);
        using var buffer = new MemoryStream();
        SarifReport.Write(result, rules, buffer, RepoPaths.Root);
        var sarif = JsonDocument.Parse(buffer.ToArray()).RootElement;

        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", sarif.GetProperty("$schema").GetString());
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        var run = Assert.Single(sarif.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("lameduck lint", driver.GetProperty("name").GetString());
        Assert.StartsWith("https://", driver.GetProperty("informationUri").GetString());

        // The schema itself is checked by SarifSchemaTests; here, that each rule's entry carries that rule's own text.
        var sarifRules = driver.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(rules.Select(r => r.Id), sarifRules.Select(r => r.GetProperty("id").GetString()));
        foreach (var (rule, entry) in rules.Zip(sarifRules))
        {
            Assert.Equal(rule.Name, entry.GetProperty("name").GetString());
            Assert.Matches("^[A-Z][A-Za-z]+$", rule.Name);
            Assert.Equal(rule.Summary, entry.GetProperty("shortDescription").GetProperty("text").GetString());
            Assert.Equal(rule.Why, entry.GetProperty("fullDescription").GetProperty("text").GetString());
            Assert.Contains(rule.FixYaml, entry.GetProperty("help").GetProperty("text").GetString());
            Assert.Contains("```yaml\n" + rule.FixYaml + "\n```", entry.GetProperty("help").GetProperty("markdown").GetString());
            Assert.Equal(rule.Severity.ToSarifLevel(), entry.GetProperty("defaultConfiguration").GetProperty("level").GetString());
            Assert.Equal(["kubernetes", "graceful-shutdown", rule.Severity == Severity.Error ? "correctness" : "reliability"],
                entry.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        }

        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        foreach (var r in results)
        {
            var index = r.GetProperty("ruleIndex").GetInt32();
            Assert.Equal(sarifRules[index].GetProperty("id").GetString(), r.GetProperty("ruleId").GetString());
            Assert.Equal(RuleCatalog.Find(r.GetProperty("ruleId").GetString()!)!.Severity.ToSarifLevel(), r.GetProperty("level").GetString());
            Assert.Contains(". Fix: ", r.GetProperty("message").GetProperty("text").GetString()); // the finding's message and its fix
            var location = Assert.Single(r.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            var uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
            Assert.StartsWith("tests/Lameduck.Cli.Tests/Lint/Corpus/", uri); // relative to the repository root
            Assert.True(location.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
        }
        var ld001 = results.Single(r => r.GetProperty("ruleId").GetString() == "LD001");
        Assert.Equal("error", ld001.GetProperty("level").GetString());
        Assert.Equal("tests/Lameduck.Cli.Tests/Lint/Corpus/LD001/positive-native-sleep.yaml",
            ld001.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public void Sarif_from_the_command_is_valid_json_with_version()
    {
        var run = LintRun.Invoke([Ld001, "--format", "sarif"]);
        Assert.Equal(1, run.ExitCode);
        var sarif = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        Assert.Equal("LD001", sarif.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("ruleId").GetString());
    }
}
