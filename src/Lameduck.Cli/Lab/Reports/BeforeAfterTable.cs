using System.Globalization;
using Lameduck.Cli.Lab.Sessions;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>
/// The write-up's before/after table for <c>--sample both</c>: requests, success ratio, status codes,
/// max latency, rollout time and SIGTERM→exit per pod, and with <c>--sessions</c> how the sessions ended and the
/// longest reconnect gap, one column per run. The text report prints it; the HTML report shows the same
/// <see cref="RowsFor"/> at the top of the page.
/// </summary>
/// <example><code>BeforeAfterTable.Write([baseline, lameduck], Console.Out);</code></example>
public static class BeforeAfterTable
{
    /// <summary>One row of the table.</summary>
    /// <param name="Label">The row's label.</param>
    /// <param name="Value">A run's cell.</param>
    /// <param name="IsBad">True when the run's cell shows a loss (errors, a kill); null for rows that never do.</param>
    public sealed record Row(string Label, Func<LabRun, string> Value, Func<LabRun, bool>? IsBad = null);

    private static readonly Row[] LoadRows = BuildRows();

    private static readonly Row[] SessionRows =
    [
        new("sessions went away / cut", r => r.Sessions is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.Count(SessionOutcome.WentAway)} / {s.Count(SessionOutcome.Cut)}") : "-",
            r => r.Sessions?.Count(SessionOutcome.Cut) > 0),
        new("max reconnect gap", r => SessionsTextReport.Ms(r.Sessions?.GapMax)),
    ];

    /// <summary>The rows for <paramref name="runs"/>, in order: the load's, then the sessions' when any run held sessions.</summary>
    public static IReadOnlyList<Row> RowsFor(IReadOnlyList<LabRun> runs) =>
        runs.Any(r => r.Sessions is not null) ? [.. LoadRows, .. SessionRows] : LoadRows;

    /// <summary>Writes the table, one column per run, labelled by the run's app.</summary>
    public static void Write(IReadOnlyList<LabRun> runs, TextWriter output)
    {
        var rows = RowsFor(runs);
        int labelWidth = rows.Max(r => r.Label.Length) + 2;
        var widths = runs.Select(run => Math.Max(run.Settings.App.Length, rows.Max(r => r.Value(run).Length)) + 3).ToArray();
        output.Write(new string(' ', labelWidth));
        for (int i = 0; i < runs.Count; i++) output.Write(runs[i].Settings.App.PadRight(widths[i]));
        output.WriteLine();
        foreach (var row in rows)
        {
            output.Write(row.Label.PadRight(labelWidth));
            for (int i = 0; i < runs.Count; i++) output.Write(row.Value(runs[i]).PadRight(widths[i]));
            output.WriteLine();
        }
    }

    private static Row[] BuildRows()
    {
        var inv = CultureInfo.InvariantCulture;
        static bool HasErrors(LabRun r) => r.Load.Summary.Errors > 0;
        static int Killed(LabRun r) => r.Lab.Rollout?.Terminations.Count(t => t.Killed) ?? 0;
        return
        [
            new("requests", r => r.Load.Summary.Requests.ToString(inv)),
            new("success ratio", r => string.Create(inv, $"{r.Load.Summary.SuccessRatio * 100:0.00}%"), HasErrors),
            new("errors", r => r.Load.Summary.Errors.ToString(inv), HasErrors),
            new("status codes", r => r.Load.Summary.StatusCodes.Count == 0 ? "-" : string.Join(" ", r.Load.Summary.StatusCodes.OrderBy(kv => kv.Key).Select(kv => string.Create(inv, $"{kv.Key}×{kv.Value}"))),
                r => r.Load.Summary.StatusCodes.Keys.Any(code => code is < 200 or >= 400)),
            new("transport errors", r => string.Join(" ", r.Load.Summary.ErrorSet.Where(kv => kv.Value > 0).Select(kv => string.Create(inv, $"{kv.Key}×{kv.Value}"))) is { Length: > 0 } t ? t : "-",
                r => r.Load.Summary.ErrorSet.Values.Any(v => v > 0)),
            new("max latency", r => string.Create(inv, $"{r.Load.Summary.LatencyMs.Max:0.#} ms")),
            new("rollout time", r => r.Lab.Rollout?.Duration is { } d ? LabJsonReport.Format(d) : "-"),
            new("SIGTERM→exit per pod", r => string.Join(" ", r.SignalToExitSeconds.Select(s => s is { } v ? string.Create(inv, $"{v:0.00}s") : "-"))),
            new("killed at grace period", r => Killed(r).ToString(inv), r => Killed(r) > 0),
        ];
    }
}
