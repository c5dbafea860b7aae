using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lameduck.Cli.Verify.Reports.Html;

/// <summary>
/// Writes one self-contained report page (inline style, script and SVG; nothing fetched): the error count of each
/// run at the top, an optional comparison table, then each run's chart one above the other on one time axis, then
/// each run's tables. The page's data is one JSON object in a script element; <c>report.js</c> draws from it and
/// writes what it drew into <c>data-*</c> attributes (counts, times, pixel positions) so a headless browser test
/// can check the drawing against the run.
/// </summary>
/// <example>
/// <code>
/// using var file = File.CreateText("report.html");
/// HtmlPage.Write(file, "lameduck verify: GET http://127.0.0.1:8080/", [new HtmlRun(result, JsonReport.ToJson(result))]);
/// </code>
/// </example>
public static class HtmlPage
{
    // The default encoder escapes <, > and &, so the JSON cannot close the script element early.
    private static readonly JsonSerializerOptions s_embedded = new() { Encoder = JavaScriptEncoder.Default };

    private static readonly Lazy<string> s_style = new(() => Asset("report.css"));
    private static readonly Lazy<string> s_script = new(() => Asset("report.js"));

    /// <summary>Writes the page; with several runs their charts share one time axis and one scale.</summary>
    public static void Write(TextWriter output, string title, IReadOnlyList<HtmlRun> runs, HtmlTable? comparison = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        var data = new JsonObject
        {
            ["title"] = title,
            ["comparison"] = comparison?.ToJson(),
            ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)r.ToJson())]),
        };
        var encodedTitle = WebUtility.HtmlEncode(title);
        output.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        output.Write(encodedTitle);
        output.Write("</title>\n<style>\n");
        output.Write(s_style.Value);
        output.Write("</style>\n</head>\n<body>\n<h1>");
        output.Write(encodedTitle);
        output.Write("</h1>\n<noscript>This report draws its charts with JavaScript; the data is in the script element below.</noscript>\n");
        output.Write("<script type=\"application/json\" id=\"lameduck-data\">");
        output.Write(data.ToJsonString(s_embedded));
        output.Write("</script>\n<script>\n");
        output.Write(s_script.Value);
        output.Write("</script>\n</body>\n</html>\n");
    }

    private static string Asset(string name)
    {
        using var stream = typeof(HtmlPage).Assembly.GetManifestResourceStream("Lameduck.Cli.Verify.Reports.Html." + name)
            ?? throw new InvalidOperationException($"the report asset {name} is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
