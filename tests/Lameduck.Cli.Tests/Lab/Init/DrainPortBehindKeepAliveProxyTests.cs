using System.Globalization;
using System.Text.RegularExpressions;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Testing;
using Xunit.Abstractions;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>
/// Issue 11, end to end: <c>lameduck-init --drain-port</c> behind a proxy that keeps its upstream connections
/// alive, the topology users run (ingress-nginx, HAProxy, Envoy, cloud L7 load balancers). The lab's nginx
/// ingress balances each request over pooled keep-alive connections (<c>keepalive 64</c>), the load keeps its
/// client connections alive (the default), and the app is a plain HTTP server that dies at once on TERM. So
/// requests keep reaching an old pod over connections opened before its SIGTERM until its endpoint is removed,
/// with few or no new connections: a window that ended when no new connection came stopped the app while it
/// was still routed (measured with main's lameduck-init here: 420 and 705 × 502 of 20,000). The window must
/// end a quiet period after the last request byte: after the endpoint left, and not much later.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class DrainPortBehindKeepAliveProxyTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly PodDirectory _pods = new();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_window_outlasts_the_endpoint_by_the_quiet_period_and_drops_nothing(int propagationSeconds)
    {
        var propagation = TimeSpan.FromSeconds(propagationSeconds);
        var run = await InitLab.RunAsync(["--ingress", "nginx", "--replicas", "3", "--rate", "1000", "--duration", "24s", "--rollout-at", "2s",
            "--propagation", $"{propagationSeconds}s", "--readiness-path", "/", "--readiness-period", "0.5s", "--timeout", "20s",
            "--stop-signal", "TERM", "--output", "json",
            "--", .. _pods.PlainServerCommand(InitBinary.Path, "--delay", "10s", "--drain-port", "{port}", "--quiet-period", "1s",
                "--grace-period", "30s", "--exit-143-as-0")]);
        Assert.True(run.ExitCode == 0, run + _pods.Logs());
        output.WriteLine(InitLab.Summary(run));
        var json = run.Json;
        output.WriteLine("endpoint removed after SIGTERM per pod: " + string.Join(" ", json["terminations"]!.AsArray()
            .Select(t => $"{(double)t!["endpoint_removed_at_s"]! - (double)t["signal_sent_at_s"]!:0.00}s")));
        Assert.True((bool)json["keep_alive"]!);
        Assert.Equal("nginx", (string)json["ingress"]!);
        Assert.True((long)json["errors"]! == 0, "lameduck-init --drain-port behind a keep-alive proxy must drop nothing\n" + run + _pods.Logs());
        Assert.Equal(24_000, (long)json["requests"]!);

        var terminations = json["terminations"]!.AsArray();
        Assert.Equal(3, terminations.Count);
        Assert.All(terminations, t =>
        {
            Assert.False((bool)t!["killed"]!);
            Assert.Equal(0, (int)t["exit_code"]!);
            // Not before the endpoint left the ingress (the app dies at its stop signal) ...
            var exit = TimeSpan.FromSeconds((double)t["sigterm_to_exit_s"]!);
            Assert.True(exit >= propagation, $"{t["replica"]} exited {exit.TotalSeconds:0.00}s after SIGTERM, before the {propagationSeconds}s propagation\n{run}");
            Assert.True((double)t["exited_at_s"]! > (double)t["endpoint_removed_at_s"]!, $"{t["replica"]} exited while still routed\n{run}");
            // ... and not the 10 s delay: the quiet period after the ingress stopped sending, plus 1 s for polls 100 ms
            // apart and the app's exit on a loaded 2-core machine. The ingress stops sending once its reload has
            // applied the removal, which the lab records (~0.1 s after the propagation, more on a busy machine).
            var removed = TimeSpan.FromSeconds((double)t["endpoint_removed_at_s"]! - (double)t["signal_sent_at_s"]!);
            var stoppedSending = removed > propagation ? removed : propagation;
            Assert.True(exit <= stoppedSending + Quiet + TimeSpan.FromSeconds(1),
                $"{t["replica"]} exited {exit.TotalSeconds:0.00}s after SIGTERM, later than the endpoint's removal ({removed.TotalSeconds:0.00}s) + quiet period + 1s\n{run}");
        });

        // Every old pod's window ended on the quiet period, with request bytes counted after SIGTERM.
        var stops = _pods.InitLogs("app").Values.Select(log => StopLine().Match(log)).Where(m => m.Success).ToList();
        Assert.True(stops.Count == 3, "expected 3 stop lines ending on the quiet period\n" + _pods.Logs());
        Assert.All(stops, m => Assert.True(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 0 && int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) > 0, m.Value));
    }

    public void Dispose() => _pods.Dispose();

    [GeneratedRegex(@"stop: port \d+ had no request bytes for 1s \(after min delay 1s; (\d+) bytes on (\d+) connections? since the shutdown began")]
    private static partial Regex StopLine();
}
