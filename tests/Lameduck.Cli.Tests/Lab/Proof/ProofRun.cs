using System.Text.Json.Nodes;
using Lameduck.Cli.Tests.Lab.Init;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Text;

namespace Lameduck.Cli.Tests.Lab.Proof;

/// <summary>
/// One case of issue 11's proof matrix: a rolling update in <c>lameduck lab</c> at 1,000 req/s with keep-alive
/// clients through an L7 ingress that keeps its upstream connections alive (<c>l7</c>, the default, or the real
/// <c>nginx</c>), and the assertions that make it a proof: the baseline drops requests, Lameduck drops none, and an
/// adaptive window ends soon after traffic stopped.
/// </summary>
/// <remarks>
/// Sized to be short on a shared 2-core machine and still physical: 2 replicas replaced at once (<c>--max-surge
/// 2</c>), the rollout 1 s into the load, endpoints removed 1 s after a pod starts terminating. While both old pods
/// are still routed, half of the 1,000 req/s goes to them: a baseline pod that stops listening at its stop signal
/// answers about 250 requests in that second with 502/resets, per pod. The load ends 1 s after the rollout is over
/// (<c>--end-after-rollout</c>; its <c>--duration</c> is only an upper bound), so every request of the rollout is counted
/// however slowly a busy machine runs it (asserted). A request may take 10 s: a slow answer on a starved machine is not
/// a drop. Readiness is probed every second with the kubelet's other defaults (1 s timeout, 3
/// failures): an old pod starved for over 1.5 s while two new ones start on a shared 2-core machine was marked
/// unready at a 0.5 s period, and with every endpoint briefly gone the ingress answered 502s no shutdown caused.
/// </remarks>
internal static class ProofRun
{
    /// <summary>The endpoint propagation delay: removal from the ingress this long after SIGTERM.</summary>
    public static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    /// <summary>The adaptive windows' quiet period (the library's QuietPeriod, lameduck-init's --quiet-period).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    /// <summary>The load ends 1 s after the rollout (the new pods' service is measured too), 40 s at the latest; a rollout here takes 3 to 10 s.</summary>
    private static readonly RolloutCoverage UntilRolledOut = new(Cap: TimeSpan.FromSeconds(40), Tail: TimeSpan.FromSeconds(1));

    /// <summary>The ingresses every part is proven through.</summary>
    public static TheoryData<string> Ingresses => ["l7", "nginx"];

    /// <summary>
    /// Runs the lab with the matrix's rollout and <paramref name="args"/> (ingress, stop signal, readiness path, the
    /// app); asserts that it exited 0 and left no process (the inits' apps and their workers included) and no port.
    /// <paramref name="logs"/> adds the replicas' own logs to failure messages; the logs returned add the lab's stderr
    /// to them (through nginx it lists what nginx logged at error level: why a request answered 502).
    /// </summary>
    public static async Task<(JsonObject Json, Func<string> Logs)> RunAsync(string ingress, Func<string>? logs, params string[] args)
    {
        var run = await InitLab.RunAsync(["--ingress", ingress, "--replicas", "2", "--max-surge", "2", "--rate", "1000",
            .. UntilRolledOut.Flags, "--rollout-at", "1s", "--propagation", DurationText.Format(Propagation),
            "--readiness-period", "1s", "--timeout", "10s", "--output", "json", .. args]);
        Assert.True(run.ExitCode == 0, run + logs?.Invoke());
        var json = run.Json;
        Assert.Equal(ingress, (string?)json["ingress"]);
        Assert.True((bool)json["keep_alive"]!, "the proof runs with keep-alive clients");
        Assert.Equal(2, json["terminations"]!.AsArray().Count);
        // Every termination ended while the load still ran (all of its window was measured), every request counted.
        UntilRolledOut.AssertLoadEndedAfterRollout(json, $"{run}{logs?.Invoke()}");
        return (json, () => $"\n--- lab stderr\n{run.Stderr}{logs?.Invoke()}");
    }

    /// <summary>
    /// The baseline as shipped: each old pod stopped serving at its stop signal (a graceful stop closes the
    /// listener at once) while its endpoint was still routed, and requests were lost for it. Not killed: the losses
    /// are the race, not the grace period.
    /// </summary>
    public static void AssertBaselineDrops(JsonObject run, Func<string>? logs = null)
    {
        Assert.True((long)run["errors"]! > 0, "the baseline must show the rollout's dropped requests\n" + run + logs?.Invoke());
        Assert.All(run["terminations"]!.AsArray(), t => Assert.False((bool)t!["killed"]!, $"{t["replica"]} was killed\n{run}"));
    }

    /// <summary>
    /// Lameduck: nothing dropped, every old pod served until its endpoint had left the ingress and then exited by
    /// itself (code 0). With <paramref name="adaptive"/> the window ended on the quiet period: SIGTERM→exit is within
    /// the propagation + quiet period + 1 s. The propagation is the one the lab measured (the removal as applied by
    /// the ingress, later than <see cref="Propagation"/> when nginx's reload is slow on a busy machine); the 1 s is
    /// for polls 100 ms apart and the server's own graceful exit on a loaded 2-core machine; a server whose graceful
    /// stop alone takes longer than that adds <paramref name="slowStop"/> (Apache: see InitProofTests).
    /// </summary>
    public static void AssertNothingDropped(JsonObject run, bool adaptive, Func<string>? logs = null, TimeSpan slowStop = default)
    {
        Assert.True((long)run["errors"]! == 0, "Lameduck must drop nothing\n" + run + logs?.Invoke());
        Assert.All(run["terminations"]!.AsArray(), t =>
        {
            Assert.False((bool)t!["killed"]!, $"{t["replica"]} was killed\n{run}");
            Assert.True((int)t["exit_code"]! == 0, $"{t["replica"]} exited with {t["exit_code"]}\n{run}{logs?.Invoke()}");
            Assert.True((double)t["exited_at_s"]! > (double)t["endpoint_removed_at_s"]!, $"{t["replica"]} exited while still routed\n{run}");
            if (!adaptive) return;
            var exit = TimeSpan.FromSeconds((double)t["sigterm_to_exit_s"]!);
            var removed = TimeSpan.FromSeconds((double)t["endpoint_removed_at_s"]! - (double)t["signal_sent_at_s"]!);
            var propagation = removed > Propagation ? removed : Propagation;
            Assert.True(exit <= propagation + Quiet + TimeSpan.FromSeconds(1) + slowStop,
                $"{t["replica"]} exited {exit.TotalSeconds:0.00}s after SIGTERM, later than the propagation ({propagation.TotalSeconds:0.00}s) + quiet period + 1s" +
                (slowStop > TimeSpan.Zero ? $" + {slowStop.TotalSeconds:0.0}s" : "") + $"\n{run}{logs?.Invoke()}");
        });
    }

    /// <summary>
    /// The latest moment an old pod's endpoint left the ingress, from SIGTERM: the lab's measured removal, or
    /// <see cref="Propagation"/> if that is later.
    /// </summary>
    public static TimeSpan LatestRemoval(JsonObject run) => run["terminations"]!.AsArray()
        .Select(t => TimeSpan.FromSeconds((double)t!["endpoint_removed_at_s"]! - (double)t["signal_sent_at_s"]!))
        .Append(Propagation).Max();

    /// <summary>One line of figures for the test's output (docs quote them): errors, statuses, SIGTERM→exit per pod.</summary>
    public static string Summary(string name, JsonObject json)
    {
        var statuses = string.Join(" ", json["status_codes"]!.AsObject().Select(s => $"{s.Key}×{s.Value}"));
        var transport = string.Join(" ", json["error_set"]!.AsObject().Where(e => (long)e.Value! > 0).Select(e => $"{e.Key}×{e.Value}"));
        var exits = string.Join(" ", json["terminations"]!.AsArray().Select(t => $"{(double)t!["sigterm_to_exit_s"]!:0.00}s"));
        return $"{name} via {json["ingress"]}: requests {json["requests"]}, errors {json["errors"]}, status codes {statuses}, " +
            $"transport errors {(transport.Length > 0 ? transport : "-")}, SIGTERM→exit per pod {exits}, rollout {json["rollout_s"]}s, load {json["duration_s"]}s";
    }
}
