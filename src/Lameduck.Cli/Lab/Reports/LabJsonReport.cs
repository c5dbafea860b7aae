using System.Text.Json.Nodes;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Verify.Reports;
using Lameduck.Text;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>
/// The lab's JSON: verify's report (shared/DESIGN.md contract) plus <c>app</c>, <c>ingress</c>,
/// <c>replicas</c>, <c>rollout_s</c> and <c>terminations</c> (one per old pod, times in seconds
/// since the load started), the settings that shaped the run, and <c>sessions</c> (see <see cref="SessionsJsonReport"/>).
/// </summary>
/// <example><code>JsonReport.Write(LabJsonReport.ToJson(run), Console.Out);</code></example>
public static class LabJsonReport
{
    /// <summary>The report of one run.</summary>
    public static JsonObject ToJson(LabRun run)
    {
        var s = run.Settings;
        var rollout = run.Lab.Rollout;
        var terminations = new JsonArray();
        foreach (var t in rollout?.Terminations ?? [])
        {
            terminations.Add(new JsonObject
            {
                ["replica"] = t.Replica,
                ["port"] = t.Port,
                ["sigterm_to_exit_s"] = Seconds(t.SignalToExit),
                ["killed"] = t.Killed,
                ["exit_code"] = t.ExitCode,
                ["propagation_s"] = Math.Round(t.Propagation.TotalSeconds, 3),
                ["terminating_at_s"] = run.LoadSeconds(t.TerminatingAt),
                ["endpoint_removed_at_s"] = t.EndpointRemovedAt is { } r ? run.LoadSeconds(r) : null,
                ["prestop_done_at_s"] = t.PreStopDoneAt is { } p ? run.LoadSeconds(p) : null,
                ["signal_sent_at_s"] = t.SignalSentAt is { } g ? run.LoadSeconds(g) : null,
                ["exited_at_s"] = run.LoadSeconds(t.ExitedAt),
                ["terminating_to_exit_s"] = Seconds(t.TerminatingToExit),
            });
        }
        return JsonReport.ToJson(run.Load,
        [
            new("app", s.App),
            new("ingress", run.Lab.Ingress),
            new("replicas", s.Strategy.Replicas),
            new("rollout_s", Seconds(rollout?.Duration)),
            new("terminations", terminations),
            new("rollout_failure", rollout is null ? (run.Lab.Interrupted ? "interrupted before the rollout" : "no rollout") : rollout.Failure),
            new("rollout_at_s", s.RolloutAt.TotalSeconds),
            new("propagation", s.Propagation.ToString()),
            new("grace_period_s", s.Termination.GracePeriod.TotalSeconds),
            new("pre_stop", s.Termination.PreStop?.ToString()),
            new("stop_signal", SignalTable.Name(s.Termination.StopSignal)),
            new("max_surge", s.Strategy.MaxSurge),
            new("max_unavailable", s.Strategy.MaxUnavailable),
            new("ingress_retries", s.IngressRetries),
            new("keep_alive", s.KeepAlive),
            new("command", string.Join(' ', s.Template.Command)),
            new("lab_events", LabEvents(run)),
            new("sessions", SessionsJsonReport.ToJson(run)),
        ]);
    }

    /// <summary>Every lifecycle event, start-up included, in seconds since the load started (negative before it).</summary>
    private static JsonArray LabEvents(LabRun run)
    {
        var array = new JsonArray();
        foreach (var e in run.Lab.Events)
            array.Add(new JsonObject { ["at_s"] = run.LoadSeconds(e.At), ["name"] = e.Marker, ["detail"] = e.MarkerDetail });
        return array;
    }

    private static JsonNode? Seconds(TimeSpan? value) => value is { } v ? Math.Round(v.TotalSeconds, 3) : null;

    /// <summary>A human form of a termination's preStop for reports.</summary>
    internal static string Describe(PreStopHook? hook) => hook?.ToString() ?? "none";

    /// <summary>Seconds as typed: <c>5.02s</c>.</summary>
    internal static string Format(TimeSpan? value) => value is { } v ? DurationText.Format(TimeSpan.FromMilliseconds(Math.Round(v.TotalMilliseconds))) : "-";
}
