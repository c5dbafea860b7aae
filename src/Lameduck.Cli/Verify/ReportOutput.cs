using System.Text.Json.Nodes;
using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Reports;

namespace Lameduck.Cli.Verify;

/// <summary>How a run is reported: the same for a live run and for <c>verify report results.csv</c>.</summary>
internal static class ReportOutput
{
    /// <summary>
    /// Writes the chosen stdout report and the HTML file; returns the exit code the thresholds decide. An interrupted
    /// run exits 130 when it was live (Ctrl-C), 1 when its results file is replayed: a partial run proves nothing.
    /// </summary>
    public static int Write(LoadResult result, Thresholds thresholds, string format, string? htmlPath, TextWriter stdout, TextWriter stderr, bool live = true)
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
            var covered = $"{Reports.DurationFormat.Seconds(result.Summary.DurationSeconds)} of {Text.DurationText.Format(result.Run.TargetDuration)}";
            if (live)
            {
                stderr.WriteLine($"verify: interrupted; the reports cover what was sent in the first {covered}");
                return ExitCodes.Interrupted;
            }
            stderr.WriteLine($"verify: the run was interrupted after {covered}; a partial run cannot prove the thresholds");
            return ExitCodes.Failed;
        }
        return failed.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
