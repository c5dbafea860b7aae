using System.Text.Encodings.Web;
using System.Text.Json;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint.Output;

/// <summary>
/// Findings for machines, the contract of shared/DESIGN.md:
/// <c>{ "findings": [ { "rule", "severity", "file", "line", "object", "container", "message", "fix" } ] }</c>.
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
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}
