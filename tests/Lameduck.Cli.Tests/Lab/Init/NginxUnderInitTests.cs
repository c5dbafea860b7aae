using System.Text.Json.Nodes;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Testing;
using Xunit.Abstractions;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>
/// Issue 5, end to end: Debian's nginx in a rolling update at 1,000 req/s. The kubelet sends TERM (a custom
/// image without <c>STOPSIGNAL SIGQUIT</c>); tini forwards it as is and TERM is nginx's fast shutdown, so each
/// old pod is gone at once while its endpoint is still routed for 2 s: new connections to it are refused.
/// Under <c>lameduck-init --preset nginx --delay 3s</c> nginx keeps serving through those 2 s, then gets QUIT.
/// The load opens a connection per request (<c>--keep-alive false</c>), like many short-lived clients behind
/// kube-proxy: only new connections land on a removed pod, so the outcome does not hinge on a few reconnections.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NginxUnderInitTests(ITestOutputHelper output) : IDisposable
{
    private readonly PodDirectory _pods = new();

    [Fact]
    public async Task Nginx_under_tini_exits_at_SIGTERM_while_still_routed_and_drops_requests()
    {
        var run = await InitLab.RunAsync([.. InitLab.Experiment, "--keep-alive", "false", "--readiness-path", "/healthz/ready", "--duration", "12s",
            "--", .. _pods.NginxCommand(PodDirectory.Tini, "-s", "--")]);
        Assert.True(run.ExitCode == 0, run + _pods.Logs());
        output.WriteLine(InitLab.Summary(run));
        var json = run.Json;
        var terminations = json["terminations"]!.AsArray();
        Assert.Equal(3, terminations.Count);
        // The physical reason for the errors: every old nginx was gone before its endpoint left the balancer.
        Assert.All(terminations, t =>
        {
            Assert.False((bool)t!["killed"]!);
            Assert.True((double)t["exited_at_s"]! < (double)t["endpoint_removed_at_s"]!, $"{t["replica"]} outlived its endpoint\n{run}");
        });
        Assert.True((long)json["errors"]! > 0, "nginx under tini must drop the requests sent to it after it exited\n" + run);
        Assert.Equal(json["errors"]!.GetValue<long>(), TransportErrors(json)); // refused/reset connections, not HTTP errors
    }

    [Fact]
    public async Task Nginx_under_lameduck_init_serves_until_its_endpoint_is_gone_and_drops_nothing()
    {
        var run = await InitLab.RunAsync([.. InitLab.Experiment, "--keep-alive", "false", "--readiness-path", "/healthz/ready", "--duration", "30s",
            "--", .. _pods.NginxCommand(InitBinary.Path, "--preset", "nginx", "--delay", "3s", "--grace-period", "30s", "--")]);
        Assert.True(run.ExitCode == 0, run + _pods.Logs());
        output.WriteLine(InitLab.Summary(run));
        var json = run.Json;
        Assert.True((long)json["errors"]! == 0, "nginx under lameduck-init must drop nothing\n" + run + _pods.Logs());
        Assert.Equal(30_000, (long)json["requests"]!);
        var terminations = json["terminations"]!.AsArray();
        Assert.Equal(3, terminations.Count);
        Assert.All(terminations, t =>
        {
            Assert.False((bool)t!["killed"]!);
            Assert.Equal(0, (int)t["exit_code"]!);
            Assert.InRange((double)t["sigterm_to_exit_s"]!, 2.9, 15); // the 3 s lame duck, then nginx's graceful stop
            Assert.True((double)t["exited_at_s"]! > (double)t["endpoint_removed_at_s"]!, $"{t["replica"]} exited while still routed\n{run}");
            Assert.True((double)t["exited_at_s"]! < 30, $"{t["replica"]} exited after the load ended\n{run}");
        });
        // The lab's TERM started the lame duck and nginx got its graceful QUIT from lameduck-init, in every old pod.
        var stopped = _pods.InitLogs("nginx").Values.Where(log => log.Contains("shutdown: SIGTERM received", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, stopped.Length);
        Assert.All(stopped, log => Assert.Contains("sent SIGQUIT", log));
    }

    /// <summary>Errors that are not HTTP responses: the sum of error_set minus any 5xx status.</summary>
    private static long TransportErrors(JsonObject json) =>
        (long)json["errors"]! - json["status_codes"]!.AsObject().Where(s => s.Key.StartsWith('5')).Sum(s => (long)s.Value!);

    public void Dispose() => _pods.Dispose();
}
