using System.Globalization;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Verify.Reports.Html;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>
/// One lane per replica for the HTML report, on the load's clock: every lifecycle event of the replica as a mark
/// (started, ready, endpoint added, terminating, endpoint removed, preStop done, signal, SIGKILL, exited with its
/// code), from which the page draws the replica's life and the race between endpoint removal and exit.
/// Anything else that happens to a replica can become a mark of its own kind on its lane (a long-lived session
/// that ended on it, say: <c>new HtmlLaneMark("session-ended", at, "r2 session 7 ended", "closed by server")</c>
/// added to that replica's lane); the page draws unknown kinds as a tick with their text on hover.
/// </summary>
/// <example><code>var lanes = ReplicaLanes.From(run); // r1, r2, ... in the order they started</code></example>
public static class ReplicaLanes
{
    /// <summary>The lanes of <paramref name="run"/>, one per replica that existed, in the order they started.</summary>
    public static IReadOnlyList<HtmlLane> From(LabRun run)
    {
        var exitCodes = (run.Lab.Rollout?.Terminations ?? []).ToDictionary(t => t.Replica, t => t.ExitCode);
        return run.Lab.Events
            .Where(e => e.IsAboutReplica)
            .GroupBy(e => e.Subject, StringComparer.Ordinal) // groups keep the order of their first event
            .Select(replica => new HtmlLane(replica.Key, [.. replica.Select(e => new HtmlLaneMark(Kind(e.Kind), run.LoadSeconds(e.At), e.Marker, e.MarkerDetail)
            {
                Tag = e.Kind == LabEventKind.Exited && exitCodes.TryGetValue(e.Subject, out var code) ? code.ToString(CultureInfo.InvariantCulture) : null,
            })]))
            .ToArray();
    }

    /// <summary>The page's name for a mark kind (see <see cref="HtmlLane"/>).</summary>
    private static string Kind(LabEventKind kind) => kind switch
    {
        LabEventKind.ReplicaStarted => "started",
        LabEventKind.Ready => "ready",
        LabEventKind.NotReady => "not-ready",
        LabEventKind.EndpointAdded => "endpoint-added",
        LabEventKind.Terminating => "terminating",
        LabEventKind.EndpointRemoved => "endpoint-removed",
        LabEventKind.PreStopDone => "prestop-done",
        LabEventKind.SignalSent => "signal",
        LabEventKind.Killed => "killed",
        LabEventKind.Exited => "exited",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
