using System.Globalization;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Verify.Reports.Html;
using Lameduck.Text;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>
/// The lab's HTML report (<c>--report FILE.html</c>): one self-contained page with every run (two with
/// <c>--sample both</c>) one above the other on one time axis — the error count of each run and the before/after
/// table at the top, then per run the requests' outcomes (errors on their own strip), the rollout's events as
/// numbered markers, and a lane per replica (see <see cref="ReplicaLanes"/>); then per run the settings, a
/// table of the terminations (one row per pod) and the load's figures.
/// </summary>
/// <example><code>using var file = File.CreateText("lab.html"); LabHtmlReport.Write([baseline, lameduck], file);</code></example>
public static class LabHtmlReport
{
    /// <summary>The fields of <see cref="LabJsonReport"/> the page's tables show; a field not listed here is shown as text under the load's figures.</summary>
    private static readonly string[] s_covered =
    [
        "app", "ingress", "replicas", "rollout_s", "terminations", "rollout_failure", "rollout_at_s", "propagation", "grace_period_s",
        "pre_stop", "stop_signal", "max_surge", "max_unavailable", "ingress_retries", "keep_alive", "command", "lab_events",
    ];

    /// <summary>Writes the page for <paramref name="runs"/> (one, or baseline and lameduck).</summary>
    public static void Write(IReadOnlyList<LabRun> runs, TextWriter output)
    {
        var ingresses = string.Join(", ", runs.Select(r => r.Lab.Ingress).Distinct());
        var title = $"lameduck lab: {string.Join(" vs ", runs.Select(r => r.Settings.App))}, {ingresses} ingress";
        HtmlPage.Write(output, title, [.. runs.Select(ToHtml)], runs.Count > 1 ? Comparison(runs) : null);
    }

    private static HtmlRun ToHtml(LabRun run)
    {
        // The ingress, the load, the rollout: thin numbered markers. The replicas' events: their lanes.
        var markers = run.Lab.Events.Where(e => !e.IsAboutReplica).Select(e => Marker(run, e)).ToArray();
        return new HtmlRun(run.Load, LabJsonReport.ToJson(run))
        {
            Name = run.Settings.App,
            Markers = markers,
            Events = [.. run.Lab.Events.Select(e => Marker(run, e))],
            Lanes = ReplicaLanes.From(run),
            Tables = [Settings(run), Terminations(run)],
            Covered = s_covered,
        };
    }

    private static HtmlMarker Marker(LabRun run, LabEvent e) => new(run.LoadSeconds(e.At), e.Marker, e.MarkerDetail);

    private static HtmlTable Comparison(IReadOnlyList<LabRun> runs) => new("comparison", "Before / after",
        ["", .. runs.Select(r => r.Settings.App)],
        [.. BeforeAfterTable.RowsFor(runs).Select(row => (IReadOnlyList<HtmlCell>)[row.Label, .. runs.Select(r => new HtmlCell(row.Value(r), row.IsBad?.Invoke(r) ?? false))])]);

    private static HtmlTable Settings(LabRun run)
    {
        var s = run.Settings;
        var rollout = run.Lab.Rollout;
        var inv = CultureInfo.InvariantCulture;
        HtmlCell rolloutCell = rollout is null ? new("did not run", Bad: true)
            : rollout.Duration is { } d ? $"at {DurationText.Format(s.RolloutAt)}, took {LabJsonReport.Format(d)}"
            : new HtmlCell("FAILED: " + rollout.Failure, Bad: true);
        return new HtmlTable("settings-" + s.App, "Run: " + s.App, null,
        [
            ["command", string.Join(' ', s.Template.Command)],
            ["ingress", run.Lab.Ingress + (s.IngressRetries ? " (its retries on)" : "")],
            ["load", s.LoadText + string.Create(inv, $", keep-alive {(s.KeepAlive ? "on" : "off")}, timeout {DurationText.Format(s.Timeout)}")],
            ["replicas", string.Create(inv, $"{s.Strategy.Replicas}, maxSurge {s.Strategy.MaxSurge}, maxUnavailable {s.Strategy.MaxUnavailable}")],
            ["rollout", rolloutCell],
            ["propagation", s.Propagation.ToString()],
            ["grace period", DurationText.Format(s.Termination.GracePeriod)],
            ["preStop", LabJsonReport.Describe(s.Termination.PreStop)],
            ["stop signal", SignalTable.Name(s.Termination.StopSignal)],
            ["readiness", $"GET {s.Probe.Path} every {DurationText.Format(s.Probe.Period)}"],
        ]);
    }

    private static HtmlTable Terminations(LabRun run) => new("terminations-" + run.Settings.App, "Terminations: " + run.Settings.App,
        ["replica", "deleted at", "signal → exit", "deletion → exit", "exit code", "killed", "endpoint removed"],
        [.. (run.Lab.Rollout?.Terminations ?? []).Select(t => (IReadOnlyList<HtmlCell>)
        [
            t.Replica,
            string.Create(CultureInfo.InvariantCulture, $"{run.LoadSeconds(t.TerminatingAt):0.000} s"),
            LabJsonReport.Format(t.SignalToExit),
            LabJsonReport.Format(t.TerminatingToExit),
            t.ExitCode.ToString(CultureInfo.InvariantCulture),
            t.Killed ? new HtmlCell("yes, SIGKILL at the grace period", Bad: true) : "no",
            EndpointRemoval(t),
        ])]);

    /// <summary>When the endpoint went, relative to the exit: after it means requests were routed to a process that was gone.</summary>
    private static HtmlCell EndpointRemoval(Termination t) => t.EndpointRemovedAt is not { } removed ? new HtmlCell("never", Bad: true)
        : removed > t.ExitedAt ? new HtmlCell(LabJsonReport.Format(removed - t.ExitedAt) + " after exit: still routed", Bad: true)
        : LabJsonReport.Format(t.ExitedAt - removed) + " before exit";
}
