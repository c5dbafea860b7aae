using System.Text.Json.Nodes;
using Lameduck.Text;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>
/// A lab run whose load ends <paramref name="Tail"/> after the rollout is over (<c>--end-after-rollout</c>), with
/// <paramref name="Cap"/> as its <c>--duration</c>: the flags that ask for it, and the check that it happened — the
/// load covered the whole rollout (every old pod exited while it ran), ended that long after the rollout was over and
/// not at its cap, and counted every request of its schedule.
/// </summary>
internal sealed record RolloutCoverage(TimeSpan Cap, TimeSpan Tail)
{
    /// <summary>
    /// How late the load may end after "rollout done" + the tail: the lab's delay timer and the engine noticing the
    /// end (5 ms housekeeping) on a starved 2-core machine. An end at the cap instead is tens of seconds later.
    /// </summary>
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(3);

    /// <summary>The lab flags for this run: <c>--duration CAP --end-after-rollout TAIL</c>.</summary>
    public string[] Flags => ["--duration", DurationText.Format(Cap), "--end-after-rollout", DurationText.Format(Tail)];

    /// <summary>Asserts the coverage of one run's JSON (<paramref name="context"/> goes into failure messages).</summary>
    public void AssertLoadEndedAfterRollout(JsonObject json, string context)
    {
        var duration = (double)json["duration_s"]!;
        Assert.True(duration < Cap.TotalSeconds, $"the load ran to its --duration cap ({Cap.TotalSeconds}s): the rollout did not end in time\n{context}");
        var done = json["lab_events"]!.AsArray().SingleOrDefault(e => (string?)e!["name"] == "rollout done");
        Assert.True(done is not null, $"the rollout did not finish\n{context}");
        var doneAt = (double)done["at_s"]!;
        Assert.True(duration >= doneAt + Tail.TotalSeconds - 0.01 && duration <= doneAt + (Tail + Lateness).TotalSeconds,
            $"the load ended at {duration}s, not {Tail.TotalSeconds}s after the rollout (done at {doneAt}s)\n{context}");
        // The rate asked for (verify's "rate" is the one measured, requests / duration_s).
        var rate = (double)json["target_rate"]!;
        Assert.True((long)json["requests"]! == (long)Math.Round(rate * duration), $"every request of the schedule is counted\n{context}");
        Assert.All(json["terminations"]!.AsArray(), t =>
            Assert.True((double)t!["exited_at_s"]! < duration, $"{t["replica"]} exited after the load ended\n{context}"));
    }
}
