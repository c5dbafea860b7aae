using Lameduck.Cli.Tests.Lab.Support;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>Runs <c>lameduck lab</c> on replicas that run under an init, and leaves nothing behind, pass or fail.</summary>
internal static class InitLab
{
    /// <summary>
    /// The experiment at test size: 3 replicas, 1,000 req/s, the rollout 2 s into the load, endpoints
    /// removed 2 s after a pod starts terminating, the kubelet's TERM (an image without STOPSIGNAL metadata).
    /// Requests may take 20 s: a slow answer on a starved shared machine is not a drop.
    /// </summary>
    public static readonly string[] Experiment = ["--replicas", "3", "--rate", "1000", "--rollout-at", "2s", "--propagation", "2s",
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
}
