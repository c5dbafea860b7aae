using System.Text.Json.Nodes;
using Lameduck.Cli.Lab.Sessions;

namespace Lameduck.Cli.Lab.Reports;

/// <summary>
/// The lab JSON's <c>sessions</c> object (null when no session was held): counts by outcome, overall and for the
/// rollout's old pods, reconnect gaps, failed attempts by reason, and one entry per session that ended (times in
/// seconds since the load started, like <c>terminations</c>).
/// </summary>
/// <example>
/// <code>
/// { "protocols": ["websocket"], "per_protocol": 4, "paths": { "websocket": "/ws", "sse": "/sse" },
///   "opened": 8, "open_at_end": 4, "not_reconnected": 0,
///   "outcomes": { "went_away": 4, "closed": 0, "cut": 0 }, "on_old_pods": { "went_away": 4, "closed": 0, "cut": 0 },
///   "gap_ms": { "p50": 3.2, "max": 61.5 }, "failed_attempts": { "close 1001 (server is shutting down; reconnect)": 1 },
///   "ended": [ { "protocol": "websocket", "session": 1, "replica": "r1", "old_pod": true, "connected_at_s": 0.01,
///                "ended_at_s": 1.52, "after_signal_s": 0.003, "outcome": "went_away", "close_code": 1001,
///                "reason": "close 1001 (server is shutting down; reconnect)", "reconnected_to": "r3", "gap_ms": 3.2,
///                "attempts": 1, "last_failure": null } ] }
/// </code>
/// </example>
public static class SessionsJsonReport
{
    /// <summary>The <c>sessions</c> value of <paramref name="run"/>'s report.</summary>
    public static JsonNode? ToJson(LabRun run)
    {
        if (run.Sessions is not { } sessions) return null;
        var s = sessions.Settings;
        var ended = new JsonArray();
        foreach (var r in sessions.Ended)
        {
            var termination = run.TerminationOf(r.Replica);
            ended.Add(new JsonObject
            {
                ["protocol"] = r.Protocol.Name(),
                ["session"] = r.Number,
                ["replica"] = r.Replica,
                ["old_pod"] = termination is not null,
                ["connected_at_s"] = run.LoadSeconds(r.ConnectedAt),
                ["ended_at_s"] = run.LoadSeconds(r.End.At),
                ["after_signal_s"] = termination?.SignalSentAt is { } signal ? Math.Round((r.End.At - signal).TotalSeconds, 3) : null,
                ["outcome"] = r.End.Outcome.Name(),
                ["close_code"] = r.End.CloseCode,
                ["reason"] = r.End.Reason,
                ["reconnected_to"] = r.ReconnectedTo,
                ["gap_ms"] = Ms(r.Gap),
                ["attempts"] = r.Attempts,
                ["last_failure"] = r.LastFailure,
            });
        }
        var failed = new JsonObject();
        foreach (var (reason, count) in sessions.FailedAttempts.OrderByDescending(kv => kv.Value)) failed[reason] = count;
        return new JsonObject
        {
            ["protocols"] = new JsonArray(s.Protocols.Select(p => (JsonNode?)p.Name()).ToArray()),
            ["per_protocol"] = s.Count,
            ["paths"] = new JsonObject { ["websocket"] = s.WebSocketPath, ["sse"] = s.SsePath },
            ["opened"] = sessions.Opened,
            ["open_at_end"] = sessions.OpenAtEnd,
            ["not_reconnected"] = sessions.Ended.Count(r => r.ReconnectedTo is null),
            ["outcomes"] = Outcomes(sessions.Ended),
            ["on_old_pods"] = Outcomes(sessions.Ended.Where(r => run.TerminationOf(r.Replica) is not null)),
            ["gap_ms"] = new JsonObject { ["p50"] = Ms(sessions.GapP50), ["max"] = Ms(sessions.GapMax) },
            ["failed_attempts"] = failed,
            ["ended"] = ended,
        };
    }

    private static JsonObject Outcomes(IEnumerable<SessionRecord> records)
    {
        var list = records.ToArray();
        var counts = new JsonObject();
        foreach (var outcome in new[] { SessionOutcome.WentAway, SessionOutcome.Closed, SessionOutcome.Cut })
            counts[outcome.Name()] = list.Count(r => r.End.Outcome == outcome);
        return counts;
    }

    private static JsonNode? Ms(TimeSpan? value) => value is { } v ? Math.Round(v.TotalMilliseconds, 1) : null;
}
