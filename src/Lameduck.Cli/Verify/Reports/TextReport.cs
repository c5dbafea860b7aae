using System.Globalization;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Metrics;

namespace Lameduck.Cli.Verify.Reports;

/// <summary>
/// The human report, in the layout vegeta users know (<c>Requests [total, rate, throughput]</c>, <c>Duration</c>,
/// <c>Latencies</c>, <c>Success</c>, <c>Status Codes</c>, <c>Error Set</c>), plus verify's lines (service time,
/// send lag, saturated, retries, events). Callers append their own lines through <c>extraLines</c>.
/// </summary>
/// <example>
/// <code>
/// TextReport.Write(result, Console.Out, [("Rollout", "42.1s, 3 replicas")]);
/// </code>
/// </example>
public static class TextReport
{
    private const int LabelWidth = 46;

    /// <summary>Writes the report for <paramref name="result"/>.</summary>
    public static void Write(LoadResult result, TextWriter output, IEnumerable<(string Label, string Value)>? extraLines = null)
    {
        var s = result.Summary;
        var inv = CultureInfo.InvariantCulture;
        Line(output, "Target", $"{result.Run.Method} {result.Run.Target}{(result.Interrupted ? "  (interrupted)" : "")}");
        Line(output, "Requests      [total, rate, throughput]", string.Create(inv, $"{s.Requests}, {s.Rate:0.00}, {s.Throughput:0.00}"));
        Line(output, "Duration      [total, attack, wait]",
            $"{DurationFormat.Seconds(s.DurationSeconds + s.WaitSeconds)}, {DurationFormat.Seconds(s.DurationSeconds)}, {DurationFormat.Seconds(s.WaitSeconds)}");
        Line(output, "Latencies     [mean, 50, 90, 95, 99, max]", Distribution(s.LatencyMs));
        Line(output, "Service time  [mean, 50, 90, 95, 99, max]", Distribution(s.ServiceTimeMs));
        Line(output, "Send lag      [mean, 50, 90, 95, 99, max]", Distribution(s.SendLagMs));
        Line(output, "Bytes In      [total, mean]",
            string.Create(inv, $"{s.BytesIn}, {(s.Requests == 0 ? 0 : (double)s.BytesIn / s.Requests):0.00}"));
        Line(output, "Success       [ratio]", string.Create(inv, $"{s.SuccessRatio * 100:0.00}%"));
        Line(output, "Status Codes  [code:count]",
            s.StatusCodes.Count == 0 ? "-" : string.Join("  ", s.StatusCodes.Select(kv => string.Create(inv, $"{kv.Key}:{kv.Value}"))));
        Line(output, "Saturated     [not sent, max in flight]", s.Saturated.ToString(inv));
        Line(output, "Retries       [resent on a new connection]", s.Retries?.ToString(inv) ?? "not measured (HTTP/2)");
        foreach (var (label, value) in extraLines ?? []) Line(output, label, value);
        output.WriteLine("Error Set:");
        foreach (var (name, count) in s.ErrorSet.Where(kv => kv.Value > 0)) output.WriteLine(string.Create(inv, $"{name}: {count}"));
        if (result.Events.Count > 0)
        {
            output.WriteLine("Events:");
            foreach (var e in result.Events)
                output.WriteLine(string.Create(inv, $"{e.AtSeconds,9:0.000}s  {e.Name}{(e.Detail is null ? "" : "  " + e.Detail)}"));
        }
    }

    private static string Distribution(LatencySummary d) => string.Join(", ",
        new[] { d.Mean, d.P50, d.P90, d.P95, d.P99, d.Max }.Select(DurationFormat.Ms));

    private static void Line(TextWriter output, string label, string value) =>
        output.WriteLine(label.PadRight(LabelWidth) + value);
}
