using System.Text.Json.Nodes;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Reports.Html;

namespace Lameduck.Cli.Verify.Reports;

/// <summary>
/// verify's HTML report: one self-contained page (inline script and SVG, no network fetch, see <see cref="HtmlPage"/>)
/// with the error count at the top, a timeline — errors per 100 ms on a strip of their own scale, requests per
/// 100 ms stacked by outcome (2xx, 3xx, 4xx, each 5xx code, each transport error class), p99 latency per second
/// as a line, a numbered marker per event — and the summary. The script writes what it drew into <c>data-*</c>
/// attributes of <c>#chart</c> (total and per-outcome counts, errors drawn) so a headless browser test can check
/// the chart against the run.
/// </summary>
/// <example>
/// <code>
/// using var file = File.CreateText("report.html");
/// HtmlReport.Write(result, file, JsonReport.ToJson(result));
/// </code>
/// </example>
public static class HtmlReport
{
    /// <summary>Writes the page; <paramref name="report"/> is the JSON report shown as the summary (with any extra fields).</summary>
    public static void Write(LoadResult result, TextWriter output, JsonObject report) =>
        HtmlPage.Write(output, $"lameduck verify: {result.Run.Method} {result.Run.Target}", [new HtmlRun(result, report)]);
}
