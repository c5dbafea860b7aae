using System.Text.Json.Nodes;

namespace Lameduck.Cli.Tests.Lint.Sarif;

/// <summary><c>lameduck lint --format sarif</c> against the published SARIF 2.1.0 schema (see README.md here), checked by an independent validator.</summary>
public sealed class SarifSchemaTests : IDisposable
{
    private static string Schema => Path.Combine(RepoPaths.Root, "tests", "Lameduck.Cli.Tests", "Lint", "Sarif", "sarif-schema-2.1.0.json");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lameduck-sarif-");

    [Fact]
    public void Sarif_for_the_whole_corpus_is_valid_against_the_schema()
    {
        // Every rule's findings, every input format: the richest output lint can write.
        var run = LintRun.Invoke([RepoPaths.Corpus, "--format", "sarif"]);
        Assert.Equal(1, run.ExitCode); // error-level findings exist
        var path = Write("corpus.sarif", run.Stdout);
        Assert.True(JsonNode.Parse(run.Stdout)!["runs"]![0]!["results"]!.AsArray().Count > 20, "the corpus should give many results");

        Assert.Empty(JsonSchemaValidator.Violations(Schema, path));
    }

    [Fact]
    public void Sarif_with_no_findings_is_valid_against_the_schema()
    {
        var run = LintRun.Invoke([Path.Combine(RepoPaths.Corpus, "LD001", "negative-sleep-fits.yaml"), "--format", "sarif"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(JsonSchemaValidator.Violations(Schema, Write("clean.sarif", run.Stdout)));
    }

    [Fact]
    public void Sarif_reports_an_unreadable_file_as_a_tool_execution_notification_and_stays_valid()
    {
        var broken = Write("broken.yaml", "kind: [\n");
        var run = LintRun.Invoke([broken, Path.Combine(RepoPaths.Corpus, "LD001", "positive-native-sleep.yaml"), "--format", "sarif"]);

        Assert.Equal(1, run.ExitCode); // not --strict: the LD001 error decides
        var invocation = JsonNode.Parse(run.Stdout)!["runs"]![0]!["invocations"]![0]!;
        var notification = Assert.Single(invocation["toolExecutionNotifications"]!.AsArray())!;
        Assert.Equal("error", notification["level"]!.GetValue<string>());
        Assert.Contains("not valid YAML", notification["message"]!["text"]!.GetValue<string>());
        Assert.Equal(2, notification["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!.GetValue<int>());
        Assert.Empty(JsonSchemaValidator.Violations(Schema, Write("notified.sarif", run.Stdout)));
    }

    /// <summary>The check above means something only if the validator rejects what the schema forbids.</summary>
    [Fact]
    public void The_validator_rejects_sarif_that_breaks_the_schema()
    {
        var run = LintRun.Invoke([Path.Combine(RepoPaths.Corpus, "LD001", "positive-native-sleep.yaml"), "--format", "sarif"]);
        var broken = JsonNode.Parse(run.Stdout)!;
        broken["runs"]![0]!["results"]![0]!["level"] = "fatal";          // not one of none/note/warning/error
        broken["runs"]![0]!["tool"]!["driver"]!.AsObject().Remove("name"); // required

        var violations = JsonSchemaValidator.Violations(Schema, Write("broken.sarif", broken.ToJsonString()));

        Assert.Contains(violations, v => v.StartsWith("/runs/0/results/0/level:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("/runs/0/tool/driver:", StringComparison.Ordinal) && v.Contains("'name' is a required property"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
