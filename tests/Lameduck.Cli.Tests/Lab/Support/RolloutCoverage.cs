using System.Text.Json.Nodes;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>
/// For lab runs with <c>--end-after-rollout</c>: the load covered the whole rollout (every old pod exited while it
/// ran), ended that long after the rollout was over and not at its <c>--duration</c> cap, and counted every request
/// of its schedule.
/// </summary>
internal static class RolloutCoverage
{
    /// <summary>
    /// How late the load may end after "rollout done" + the tail: the lab's delay timer and the engine noticing the
    /// end (5 ms housekeeping) on a starved 2-core machine. An end at the cap instead is tens of seconds later.
    /// </summary>
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(3);

    /// <summary>Asserts the coverage of one run's JSON (<paramref name="context"/> goes into failure messages).</summary>
    public static void AssertLoadEndedAfterRollout(JsonObject json, TimeSpan tail, TimeSpan cap, double rate, string context)
    {
        var duration = (double)json["duration_s"]!;
        Assert.True(duration < cap.TotalSeconds, $"the load ran to its --duration cap ({cap.TotalSeconds}s): the rollout did not end in time\n{context}");
        var done = json["lab_events"]!.AsArray().SingleOrDefault(e => (string?)e!["name"] == "rollout done");
        Assert.True(done is not null, $"the rollout did not finish\n{context}");
        var doneAt = (double)done["at_s"]!;
        Assert.True(duration >= doneAt + tail.TotalSeconds - 0.01 && duration <= doneAt + (tail + Lateness).TotalSeconds,
            $"the load ended at {duration}s, not {tail.TotalSeconds}s after the rollout (done at {doneAt}s)\n{context}");
        Assert.True((long)json["requests"]! == (long)Math.Round(rate * duration), $"every request of the schedule is counted\n{context}");
        Assert.All(json["terminations"]!.AsArray(), t =>
            Assert.True((double)t!["exited_at_s"]! < duration, $"{t["replica"]} exited after the load ended\n{context}"));
    }
}
