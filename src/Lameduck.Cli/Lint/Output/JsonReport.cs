using System.Text.Encodings.Web;
using System.Text.Json;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint.Output;

/// <summary>
/// Findings for machines, the contract of shared/DESIGN.md:
/// <c>{ "findings": [ { "rule", "severity", "file", "line", "object", "container", "message", "fix" } ] }</c>, with
/// added fields (none renamed or removed): each finding's <c>"namespace"</c> (null when not set), the files that
/// could not be read (<c>"not_linted": [ { "file", "line", "message" } ]</c>), <c>"tally"</c> (findings per rule) and
/// <c>"suppressed"</c> (findings left out by the lameduck.dev/lint-ignore annotation).
/// </summary>
internal static class JsonReport
{
    /// <summary>Writes <paramref name="result"/> as one indented JSON object.</summary>
    public static void Write(LintResult result, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteStartArray("findings");
        foreach (var f in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("rule", f.Rule);
            json.WriteString("severity", f.Severity.ToText());
            json.WriteString("file", f.File);
            json.WriteNumber("line", f.Line);
            json.WriteString("object", f.Object);
            if (f.Container is null) json.WriteNull("container");
            else json.WriteString("container", f.Container);
            json.WriteString("message", f.Message);
            json.WriteString("fix", f.Fix);
            if (f.Namespace is null) json.WriteNull("namespace");
            else json.WriteString("namespace", f.Namespace);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("not_linted");
        foreach (var e in result.UnreadableFiles)
        {
            json.WriteStartObject();
            json.WriteString("file", e.File);
            json.WriteNumber("line", e.Line);
            json.WriteString("message", e.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("tally");
        foreach (var (rule, count) in result.Tally()) json.WriteNumber(rule, count);
        json.WriteEndObject();
        json.WriteNumber("suppressed", result.Suppressed);
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}
