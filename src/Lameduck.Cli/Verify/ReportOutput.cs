using System.Text.Json.Nodes;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Reports;

namespace Lameduck.Cli.Verify;

/// <summary>How a run is reported: the same for a live run and for <c>verify report results.csv</c>.</summary>
internal static class ReportOutput
{
    public const int Passed = 0;
    public const int ThresholdExceeded = 1;
    public const int BadUsage = 2;
    /// <summary>128 + SIGINT: the conventional status of a command stopped by Ctrl-C (its reports are still written).</summary>
    public const int Interrupted = 130;

    /// <summary>Writes the chosen stdout report and the HTML file; returns the exit code the thresholds decide.</summary>
    public static int Write(LoadResult result, Thresholds thresholds, string format, string? htmlPath, TextWriter stdout, TextWriter stderr)
    {
        var checks = thresholds.Evaluate(result);
        var json = JsonReport.ToJson(result, [new("thresholds", Thresholds.ToJson(checks))]);
        if (format == "json") JsonReport.Write(json, stdout);
        else
        {
            TextReport.Write(result, stdout,
                checks.Select(c => ($"Threshold     [{c.Name}]", $"{(c.Passed ? "ok" : "EXCEEDED")}: {c.Actual} (limit {c.Limit})")));
        }
        stdout.Flush();
        if (htmlPath is not null)
        {
            using var file = new StreamWriter(htmlPath);
            HtmlReport.Write(result, file, json);
        }
        var failed = checks.Where(c => !c.Passed).ToList();
        foreach (var check in failed) stderr.WriteLine($"verify: {check.Message}");
        if (result.Interrupted)
        {
            stderr.WriteLine("verify: interrupted; the reports cover what was sent before the stop");
            return Interrupted;
        }
        return failed.Count > 0 ? ThresholdExceeded : Passed;
    }
}
