using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Testing;
using Xunit.Abstractions;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>
/// Issue 5, end to end: the write-ups' php-fpm stack (nginx in front of php-fpm, a PHP script that takes
/// 200 ms) in a rolling update at 1,000 req/s, each container under lameduck-init, without php-fpm's
/// <c>process_control_timeout</c> (with it, the rollout drops nothing: Proof/InitProofTests). Both lame ducks outlast the 2 s endpoint propagation: php-fpm's 2.1 s,
/// nginx's 3 s. The load opens a connection per request (kube-proxy pins connections, so only connections
/// opened before the endpoint left can still reach the pod), and the last of those are still running their
/// 200 ms script when php-fpm gets QUIT 100 ms after the endpoint left. On QUIT php-fpm's master lets busy
/// workers finish only for <c>process_control_timeout</c>; at its default, 0, it kills them and nginx answers 502.
/// </summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class PhpFpmUnderInitTests(ITestOutputHelper output) : IDisposable
{
    private static readonly RolloutCoverage UntilRolledOut = new(Cap: TimeSpan.FromSeconds(60), Tail: TimeSpan.FromSeconds(1));

    private readonly PodDirectory _pods = new();

    private Task<LabCli> RolloutAsync(string? processControlTimeout) => InitLab.RunAsync([.. InitLab.Experiment, "--keep-alive", "false", "--readiness-path", "/fpm-ping",
        .. UntilRolledOut.Flags, "--", .. _pods.PhpFpmCommand(processControlTimeout,
            nginxInit: [InitBinary.Path, "--preset", "nginx", "--delay", "3s", "--grace-period", "30s", "--"],
            phpFpmInit: [InitBinary.Path, "--preset", "php-fpm", "--delay", "2100ms", "--grace-period", "30s", "--"])]);

    [Fact]
    public async Task Without_process_control_timeout_busy_workers_are_killed_at_QUIT_and_lameduck_init_warned()
    {
        var run = await RolloutAsync(processControlTimeout: null);
        Assert.True(run.ExitCode == 0, run + _pods.Logs());
        output.WriteLine(InitLab.Summary(run));
        var json = run.Json;
        Assert.Equal(3, json["terminations"]!.AsArray().Count);
        UntilRolledOut.AssertLoadEndedAfterRollout(json, run + _pods.Logs());
        Assert.All(json["terminations"]!.AsArray(), t => Assert.False((bool)t!["killed"]!));
        Assert.True((long)json["errors"]! > 0, "php-fpm without process_control_timeout must fail the requests it is running at QUIT\n" + run + _pods.Logs());
        // The errors are nginx's 502s for the killed workers' requests, not refused connections.
        Assert.True(json["status_codes"]!.AsObject().TryGetPropertyValue("502", out var badGateway) && (long)badGateway! > 0, run.ToString());
        // Every replica's lameduck-init warned at start, and said why.
        var logs = _pods.InitLogs("php-fpm");
        Assert.Equal(6, logs.Count); // 3 old replicas and 3 new ones
        Assert.All(logs.Values, log => Assert.Contains("php-fpm preset: ", log));
        Assert.All(logs.Values, log => Assert.Contains("has no process_control_timeout", log));
    }

    public void Dispose() => _pods.Dispose();
}
