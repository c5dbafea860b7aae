using System.Globalization;
using Lameduck.Cli.Lab.Sessions;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>
/// The write-up's before/after table for <c>--sample both</c>: requests, success ratio, status codes,
/// max latency, rollout time and SIGTERM→exit per pod, and with <c>--sessions</c> how the sessions ended and the
/// longest reconnect gap, one column per run.
/// </summary>
/// <example><code>BeforeAfterTable.Write([baseline, lameduck], Console.Out);</code></example>
public static class BeforeAfterTable
{
    /// <summary>Writes the table, one column per run, labelled by the run's app.</summary>
    public static void Write(IReadOnlyList<LabRun> runs, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<(string Label, Func<LabRun, string> Value)>
        {
            ("requests", r => r.Load.Summary.Requests.ToString(inv)),
            ("success ratio", r => string.Create(inv, $"{r.Load.Summary.SuccessRatio * 100:0.00}%")),
            ("errors", r => r.Load.Summary.Errors.ToString(inv)),
            ("status codes", r => r.Load.Summary.StatusCodes.Count == 0 ? "-" : string.Join(" ", r.Load.Summary.StatusCodes.OrderBy(kv => kv.Key).Select(kv => string.Create(inv, $"{kv.Key}×{kv.Value}")))),
            ("transport errors", r => string.Join(" ", r.Load.Summary.ErrorSet.Where(kv => kv.Value > 0).Select(kv => string.Create(inv, $"{kv.Key}×{kv.Value}"))) is { Length: > 0 } t ? t : "-"),
            ("max latency", r => string.Create(inv, $"{r.Load.Summary.LatencyMs.Max:0.#} ms")),
            ("rollout time", r => r.Lab.Rollout?.Duration is { } d ? LabJsonReport.Format(d) : "-"),
            ("SIGTERM→exit per pod", r => string.Join(" ", r.SignalToExitSeconds.Select(s => s is { } v ? string.Create(inv, $"{v:0.00}s") : "-"))),
            ("killed at grace period", r => (r.Lab.Rollout?.Terminations.Count(t => t.Killed) ?? 0).ToString(inv)),
        };
        if (runs.Any(r => r.Sessions is not null))
        {
            rows.Add(("sessions went away / cut", r => r.Sessions is { } s ? string.Create(inv, $"{s.Count(SessionOutcome.WentAway)} / {s.Count(SessionOutcome.Cut)}") : "-"));
            rows.Add(("max reconnect gap", r => SessionsTextReport.Ms(r.Sessions?.GapMax)));
        }
        int labelWidth = rows.Max(r => r.Label.Length) + 2;
        var widths = runs.Select(run => Math.Max(run.Settings.App.Length, rows.Max(r => r.Value(run).Length)) + 3).ToArray();
        output.Write(new string(' ', labelWidth));
        for (int i = 0; i < runs.Count; i++) output.Write(runs[i].Settings.App.PadRight(widths[i]));
        output.WriteLine();
        foreach (var (label, value) in rows)
        {
            output.Write(label.PadRight(labelWidth));
            for (int i = 0; i < runs.Count; i++) output.Write(value(runs[i]).PadRight(widths[i]));
            output.WriteLine();
        }
    }
}
