using System.Text.Encodings.Web;
using System.Text.Json;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint.Output;

/// <summary>
/// SARIF 2.1.0 as GitHub code scanning reads it: rule metadata (descriptions, help text and markdown,
/// default level, tags) and one result per finding with a repository-relative location.
/// </summary>
internal static class SarifReport
{
    private const string DocsUri = "https://github.com/lameduck-dev/lameduck/blob/main/docs/lint.md";

    /// <summary>Writes <paramref name="result"/>; locations are made relative to <paramref name="baseDirectory"/>.</summary>
    public static void Write(LintResult result, IReadOnlyList<LintRule> rules, Stream output, string baseDirectory)
    {
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "lameduck lint");
        json.WriteString("informationUri", DocsUri);
        json.WriteString("version", typeof(SarifReport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        json.WriteStartArray("rules");
        foreach (var rule in rules) WriteRule(json, rule);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var f in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", f.Rule);
            json.WriteNumber("ruleIndex", ruleIndex[f.Rule]);
            json.WriteString("level", f.Severity.ToSarifLevel());
            json.WriteStartObject("message");
            var container = f.Container is null ? "" : $" (container '{f.Container}')";
            json.WriteString("text", $"{f.QualifiedObject}{container}: {f.Message}. Fix: {f.Fix}.");
            json.WriteEndObject();
            WriteLocation(json, f.File, f.Line, baseDirectory);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        // Files that could not be parsed: SARIF's place for "the tool could not do its job here".
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", result.ExitCode != CommandLine.ExitCodes.Usage);
        json.WriteStartArray("toolExecutionNotifications");
        foreach (var e in result.UnreadableFiles.Concat(result.InputErrors))
        {
            json.WriteStartObject();
            json.WriteString("level", "error");
            json.WriteStartObject("message");
            json.WriteString("text", $"{e.Reason} (file not linted)");
            json.WriteEndObject();
            WriteLocation(json, e.File, e.Line, baseDirectory);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteRule(Utf8JsonWriter json, LintRule rule)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteString("name", rule.Name);
        json.WriteStartObject("shortDescription");
        json.WriteString("text", rule.Summary);
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", rule.Why);
        json.WriteEndObject();
        json.WriteString("helpUri", $"{DocsUri}#{rule.Id.ToLowerInvariant()}");
        json.WriteStartObject("help");
        json.WriteString("text", $"{rule.Why}\n\nFix:\n{rule.FixYaml}");
        json.WriteString("markdown", $"{rule.Why}\n\n**Fix**\n\n```yaml\n{rule.FixYaml}\n```");
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", rule.Severity.ToSarifLevel());
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("kubernetes");
        json.WriteStringValue("graceful-shutdown");
        json.WriteStringValue(rule.Severity == Severity.Error ? "correctness" : "reliability");
        json.WriteEndArray();
        json.WriteString("problem.severity", rule.Severity == Severity.Error ? "error" : rule.Severity == Severity.Warning ? "warning" : "recommendation");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A result's or notification's <c>locations</c>: one file (relative to the base directory) and line.</summary>
    private static void WriteLocation(Utf8JsonWriter json, string file, int line, string baseDirectory)
    {
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", RelativeUri(file, baseDirectory));
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", line);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    // GitHub maps results to repository files by relative URI; stdin has no file.
    private static string RelativeUri(string file, string baseDirectory)
    {
        if (file == Input.SourceFile.StandardInput.DisplayPath) return "stdin";
        var full = Path.GetFullPath(file);
        var relative = Path.GetRelativePath(baseDirectory, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) return new Uri(full).AbsoluteUri;
        return string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
    }
}
