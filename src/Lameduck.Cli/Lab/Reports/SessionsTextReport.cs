using System.Globalization;
using Lameduck.Cli.Lab.Sessions;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>
/// The sessions in the human report: summary lines (counts, outcomes, gaps) among the report's lines, and after it one
/// line per session that ended, old pods first: <c>1.520s  ws 1  r1  went away: close 1001 (...), 0.00s after SIGTERM
/// → reconnected to r3 after 3 ms</c>.
/// </summary>
public static class SessionsTextReport
{
    /// <summary>The summary lines for the report's header block (none without sessions).</summary>
    public static IEnumerable<(string Label, string Value)> SummaryLines(LabRun run)
    {
        if (run.Sessions is not { } sessions) yield break;
        var inv = CultureInfo.InvariantCulture;
        var s = sessions.Settings;
        var old = sessions.Ended.Where(r => run.TerminationOf(r.Replica) is not null).ToArray();
        yield return ("Sessions      [held, opened, open at end]",
            string.Create(inv, $"{string.Join(" + ", s.Protocols.Select(p => $"{s.Count} {p.Name()}"))}, {sessions.Opened}, {sessions.OpenAtEnd}"));
        yield return ("Sessions      [went away, closed, cut]",
            string.Create(inv, $"{sessions.Count(SessionOutcome.WentAway)}, {sessions.Count(SessionOutcome.Closed)}, {sessions.Count(SessionOutcome.Cut)}") +
            string.Create(inv, $"  (on old pods: {old.Count(r => r.End.Outcome == SessionOutcome.WentAway)}, {old.Count(r => r.End.Outcome == SessionOutcome.Closed)}, {old.Count(r => r.End.Outcome == SessionOutcome.Cut)})"));
        yield return ("Reconnect gap [p50, max]", $"{Ms(sessions.GapP50)}, {Ms(sessions.GapMax)}");
    }

    /// <summary>One line per session that ended: those on the rollout's old pods, then those on other pods.</summary>
    public static void WriteEnded(LabRun run, TextWriter output)
    {
        if (run.Sessions is not { } sessions) return;
        var onOld = sessions.Ended.Where(r => run.TerminationOf(r.Replica) is not null).ToArray();
        var elsewhere = sessions.Ended.Where(r => run.TerminationOf(r.Replica) is null).ToArray();
        if (onOld.Length > 0)
        {
            output.WriteLine("Sessions on old pods:");
            foreach (var r in onOld) output.WriteLine(Line(run, r));
        }
        if (elsewhere.Length > 0)
        {
            output.WriteLine("Sessions that ended on other pods:");
            foreach (var r in elsewhere) output.WriteLine(Line(run, r));
        }
        if (sessions.FailedAttempts.Count > 0)
        {
            output.WriteLine("Session attempts that failed:");
            foreach (var (reason, count) in sessions.FailedAttempts.OrderByDescending(kv => kv.Value))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reason}: {count}"));
        }
    }

    private static string Line(LabRun run, SessionRecord r)
    {
        var inv = CultureInfo.InvariantCulture;
        var how = r.End.Outcome switch
        {
            SessionOutcome.WentAway => "went away: " + r.End.Reason,
            SessionOutcome.Closed => "closed: " + r.End.Reason,
            _ => "cut: " + r.End.Reason + (r.End.CloseCode is { } code ? string.Create(inv, $" ({code})") : ""),
        };
        if (run.TerminationOf(r.Replica) is { SignalSentAt: { } signal })
            how += string.Create(inv, $", {(r.End.At - signal).TotalSeconds:0.00}s after {PosixSignalName(run)}");
        var then = r.ReconnectedTo is not null
            ? $"reconnected to {r.ReconnectedTo} after {Ms(r.Gap)}" + (r.Attempts > 1 ? string.Create(inv, $" ({r.Attempts} attempts; {r.LastFailure})") : "")
            : "not reconnected before the end" + (r.LastFailure is { } f ? $" (last attempt: {f})" : "");
        return string.Create(inv, $"{run.LoadSeconds(r.End.At),9:0.000}s  {r.Protocol.ShortName(),-3} {r.Number,-3} {r.Replica ?? "?",-4}  {how} → {then}");
    }

    private static string PosixSignalName(LabRun run) => SignalTable.Name(run.Settings.Termination.StopSignal);

    /// <summary>Milliseconds for reports: <c>3 ms</c>, or <c>-</c>.</summary>
    internal static string Ms(TimeSpan? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.TotalMilliseconds:0} ms") : "-";
}
