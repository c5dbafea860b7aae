using System.Globalization;
using Lameduck.Cli.Verify.Reports;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>The human report of one run: verify's report (with the lab's events as its event list) plus the lab's lines.</summary>
/// <example><code>LabTextReport.Write(run, Console.Out);</code></example>
public static class LabTextReport
{
    /// <summary>Writes the report.</summary>
    public static void Write(LabRun run, TextWriter output)
    {
        var s = run.Settings;
        var rollout = run.Lab.Rollout;
        var lines = new List<(string, string)>
        {
            ("App", s.App + "  (" + string.Join(' ', s.Template.Command) + ")"),
            ("Ingress", run.Lab.Ingress + (s.IngressRetries ? " (retries on)" : "")),
            ("Replicas      [desired, surge, unavailable]", string.Create(CultureInfo.InvariantCulture, $"{s.Strategy.Replicas}, {s.Strategy.MaxSurge}, {s.Strategy.MaxUnavailable}")),
            ("Termination   [propagation, grace, preStop]", $"{s.Propagation}, {LabJsonReport.Format(s.Termination.GracePeriod)}, {LabJsonReport.Describe(s.Termination.PreStop)}"),
            ("Rollout       [time]", rollout is null ? "did not run" : rollout.Duration is { } d ? LabJsonReport.Format(d) : "FAILED: " + rollout.Failure),
        };
        foreach (var t in rollout?.Terminations ?? [])
        {
            lines.Add(($"  {t.Replica,-4}        [signal→exit, deletion→exit]",
                $"{LabJsonReport.Format(t.SignalToExit)}, {LabJsonReport.Format(t.TerminatingToExit)}, exit code {t.ExitCode}{(t.Killed ? ", killed (SIGKILL at the grace period)" : "")}"));
        }
        lines.AddRange(SessionsTextReport.SummaryLines(run));
        TextReport.Write(run.Load, output, lines);
        SessionsTextReport.WriteEnded(run, output);
        // The load's event list starts with the load; the replicas' start-up happened before it.
        var before = run.Lab.Events.Where(e => e.At < run.Lab.LoadStartedAt).ToArray();
        if (before.Length == 0) return;
        output.WriteLine("Before the load:");
        foreach (var e in before)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.LoadSeconds(e.At),9:0.000}s  {e.Marker}{(e.MarkerDetail is { } detail ? "  " + detail : "")}"));
    }
}
