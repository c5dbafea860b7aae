using Lameduck.Cli.Tests.Lab.Support;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>Runs <c>lameduck lab</c> on replicas that run under an init, and leaves nothing behind, pass or fail.</summary>
internal static class InitLab
{
    /// <summary>
    /// The issue's experiment at test size: 3 replicas, 1,000 req/s, the rollout 2 s into the load, endpoints
    /// removed 2 s after a pod starts terminating, the kubelet's TERM (an image without STOPSIGNAL metadata).
    /// Requests may take 20 s: a slow answer on a starved shared machine is not a drop. These experiments model
    /// the L4 path (kube-proxy pins a connection to its pod; each test says why that matters to it), so they name
    /// <c>--ingress kube-proxy</c>: the lab's default is the l7 ingress.
    /// </summary>
    public static readonly string[] Experiment = ["--ingress", "kube-proxy", "--replicas", "3", "--rate", "1000", "--rollout-at", "2s", "--propagation", "2s",
        "--readiness-period", "0.5s", "--timeout", "20s", "--stop-signal", "TERM", "--output", "json"];

    /// <summary>
    /// Runs the lab, then asserts that no process it started (the inits' apps and their workers included) and
    /// none of its ports is left; whatever is left is killed either way.
    /// </summary>
    public static async Task<LabCli> RunAsync(params string[] args)
    {
        var run = LabCli.Run(args);
        try
        {
            await run.AssertNothingLeftAsync();
            await ReplicaSessions.AssertEmptyAsync(run.Pids);
            return run;
        }
        finally
        {
            ReplicaSessions.Kill(run.Pids);
        }
    }

    /// <summary>One line of figures for the test's output (the docs quote them): errors, statuses, SIGTERM→exit per pod.</summary>
    public static string Summary(LabCli run)
    {
        var json = run.Json;
        var statuses = string.Join(" ", json["status_codes"]!.AsObject().Select(s => $"{s.Key}×{s.Value}"));
        var transport = string.Join(" ", json["error_set"]!.AsObject().Where(e => (long)e.Value! > 0).Select(e => $"{e.Key}×{e.Value}"));
        var exits = string.Join(" ", json["terminations"]!.AsArray().Select(t => $"{(double)t!["sigterm_to_exit_s"]!:0.00}s"));
        return $"requests {json["requests"]}, errors {json["errors"]}, status codes {statuses}, transport errors {(transport.Length > 0 ? transport : "-")}, " +
            $"SIGTERM→exit per pod {exits}, rollout {json["rollout_s"]}s";
    }
}
