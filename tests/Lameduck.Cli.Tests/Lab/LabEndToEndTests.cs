using System.Text.Json.Nodes;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>
/// The write-up's experiment through <c>lameduck lab</c> with the real HelloService and verify's load: 1,000 req/s,
/// 2 s endpoint propagation, through the ingresses the proof matrix (Proof/) does not cover, and the lab's other
/// behaviours (preStop sleep, SIGKILL at the grace period, the before/after report, usage errors).
/// The rollouts' loads end 1 s after the rollout is over (<c>--end-after-rollout</c>, their <c>--duration</c> only a
/// cap) so that every request of the rollout is counted however slowly a shared 2-core machine starts the replicas.
/// Requests may take up to 20 s: what is under test is requests refused, reset or answered 5xx; a
/// slow answer on a starved machine (load averages above 20 were seen while other builds ran) is not a drop.
/// </summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public sealed class LabEndToEndTests
{
    private static readonly string[] Experiment = ["--replicas", "3", "--rate", "1000", "--rollout-at", "2s", "--propagation", "2s", "--readiness-period", "0.5s",
        "--timeout", "20s", "--output", "json"];

    /// <summary>The ingresses the proof matrix (Proof/LibraryProofTests) does not run: l7 and nginx are there.</summary>
    public static TheoryData<string> Ingresses => ["kube-proxy", "haproxy"];

    private static readonly RolloutCoverage UntilRolledOut = new(Cap: TimeSpan.FromSeconds(40), Tail: TimeSpan.FromSeconds(1));

    // The proof matrix's size (Proof/ProofRun): 2 replicas replaced at once, the rollout 1 s into the load.
    private static readonly string[] ShortRollout = ["--replicas", "2", "--max-surge", "2", "--rate", "1000", "--rollout-at", "1s", "--propagation", "2s",
        "--readiness-period", "0.5s", "--timeout", "20s", .. UntilRolledOut.Flags, "--output", "json"];

    [Theory]
    [MemberData(nameof(Ingresses))]
    public async Task Baseline_drops_requests_during_the_rollout_and_Lameduck_drops_none(string ingress)
    {
        // haproxy runs with keep-alive clients, the topology users run: the proxy balances each request over its pooled
        // upstream connections, so a share of each pod's 2 s propagation window goes to it after it stopped. Behind
        // kube-proxy (L4) only new connections can land on a removed pod, and verify's keep-alive pool
        // opens a handful per termination (0 to 150 errors per run were seen): that case opens a connection per request,
        // like many short-lived clients, so its outcome does not hinge on a few reconnections.
        string[] client = ingress == "kube-proxy" ? ["--keep-alive", "false"] : [];
        // Baseline: every old pod exits at SIGTERM while its endpoint is still routed for 2 s.
        var baseline = LabCli.Run([.. ShortRollout, .. client, "--ingress", ingress, "--sample", "baseline"]);
        await baseline.AssertNothingLeftAsync();
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        var b = baseline.Json;
        Assert.Equal("baseline", (string?)b["app"]);
        Assert.Equal(ingress, (string?)b["ingress"]);
        Assert.Equal(2, (int)b["replicas"]!);
        Assert.Equal(2, b["terminations"]!.AsArray().Count);
        Assert.True((long)b["errors"]! > 0, "the baseline must show the rollout's dropped requests\n" + baseline);
        Assert.True((double)b["rollout_s"]! > 0);
        UntilRolledOut.AssertLoadEndedAfterRollout(b, baseline.ToString());

        // Lameduck (5 s delay, the write-up's): serves through the propagation window, then exits by itself.
        var lameduck = LabCli.Run([.. ShortRollout, .. client, "--ingress", ingress, "--sample", "lameduck"]);
        await lameduck.AssertNothingLeftAsync();
        Assert.True(lameduck.ExitCode == 0, lameduck.ToString());
        var l = lameduck.Json;
        Assert.Equal("lameduck", (string?)l["app"]);
        Assert.True((long)l["errors"]! == 0, "Lameduck must drop nothing\n" + lameduck);
        UntilRolledOut.AssertLoadEndedAfterRollout(l, lameduck.ToString());
        var terminations = l["terminations"]!.AsArray();
        Assert.Equal(2, terminations.Count);
        Assert.All(terminations, t =>
        {
            Assert.False((bool)t!["killed"]!);
            // The 5 s lame-duck window, then a drain of millisecond requests and the process's exit. The library itself
            // stops ~50 ms after the window (its log: "Stopped after 5054 ms (drain 20 ms)"); what the lab sees on top is
            // the runtime's teardown and the lab's own notice of the exit, both slowed by every other process on the
            // 2 cores: 5.07–5.25 s idle, up to 6.40 s beside two busy loops; 7.44 s once in a full run (docs/TESTING.md,
            // run 49; which part was slow is not known). 9 s still fails what this guards: a window that runs twice
            // (10 s), a drain that waits for the host's timeout (23 s more) or for SIGKILL (30 s).
            var exit = (double)t["sigterm_to_exit_s"]!;
            Assert.True(exit >= 4.95 && exit <= 9, $"{t["replica"]} exited {exit} s after SIGTERM, not 4.95–9 s\n{lameduck}");
        });
    }

    [Fact]
    public async Task Baseline_with_a_preStop_sleep_drops_nothing_but_each_pod_costs_the_sleep()
    {
        // Through the default l7 ingress with keep-alive clients: the endpoint is removed 2 s into the 5 s sleep, the proxy
        // stops choosing it and closes its pooled connections once their requests end, so SIGTERM finds nothing to drop.
        // (Behind --ingress kube-proxy a client connection stays pinned to the old pod and races the server's close at
        // SIGTERM, which a preStop sleep does not fix: docs/lab.md.)
        // Three pods at 5 s each: a longer cap.
        var coverage = UntilRolledOut with { Cap = TimeSpan.FromSeconds(60) };
        var run = LabCli.Run([.. Experiment, "--sample", "baseline", "--pre-stop-sleep", "5s", .. coverage.Flags]);
        await run.AssertNothingLeftAsync();
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json;
        Assert.True((long)json["errors"]! == 0, run.ToString());
        coverage.AssertLoadEndedAfterRollout(json, run.ToString());
        Assert.True((double)json["rollout_s"]! >= 3 * 5, $"rollout took {json["rollout_s"]} s, less than replicas × 5 s");
        Assert.All(json["terminations"]!.AsArray(), t => Assert.True((double)t!["signal_sent_at_s"]! - (double)t["terminating_at_s"]! >= 4.99));
    }

    [Fact]
    public async Task An_app_that_ignores_SIGTERM_is_killed_at_the_grace_period_and_the_report_says_killed()
    {
        var run = LabCli.Run(["--replicas", "2", "--rate", "100", "--duration", "9s", "--rollout-at", "1s", "--propagation", "0.5s",
            "--readiness-period", "0.25s", "--grace-period", "2s", "--readiness-path", "/", "--output", "json", "--", .. StandInServer.Command("--ignore-term")]);
        await run.AssertNothingLeftAsync();
        Assert.True(run.ExitCode == 0, run.ToString());
        var terminations = run.Json["terminations"]!.AsArray();
        Assert.Equal(2, terminations.Count);
        Assert.All(terminations, t =>
        {
            Assert.True((bool)t!["killed"]!);
            Assert.Equal(137, (int)t["exit_code"]!);
            Assert.InRange((double)t["sigterm_to_exit_s"]!, 1.9, 8);
        });
        Assert.Contains(run.Json["events"]!.AsArray(), e => ((string?)e!["name"])?.EndsWith("SIGKILL", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Sample_both_prints_the_before_after_table_and_writes_one_html_page_with_both_runs()
    {
        var dir = Directory.CreateTempSubdirectory("lameduck-lab-report-");
        try
        {
            var html = Path.Combine(dir.FullName, "lab.html");
            var run = LabCli.Run(["--sample", "both", "--replicas", "2", "--rate", "200", "--duration", "5s", "--rollout-at", "1s",
                "--propagation", "0.5s", "--readiness-period", "0.5s", "--env", "Lameduck__Delay=00:00:01", "--report", html]);
            await run.AssertNothingLeftAsync();
            Assert.True(run.ExitCode == 0, run.ToString());
            var table = run.Stdout[run.Stdout.LastIndexOf("success ratio", StringComparison.Ordinal)..];
            Assert.Matches(@"^\s+baseline\s+lameduck", run.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("baseline", StringComparison.Ordinal) && l.Contains("lameduck")));
            foreach (var row in new[] { "requests", "success ratio", "status codes", "max latency", "rollout time", "SIGTERM→exit per pod" })
                Assert.Contains(row, run.Stdout);
            Assert.Matches(@"\nerrors\s+\d+\s+0\s*\n", table); // the table's errors row: baseline, then Lameduck's 0
            // One page, FILE.html, holding both runs (LabHtmlReportTests checks what it draws).
            Assert.Equal(["lab.html"], Directory.GetFiles(dir.FullName).Select(Path.GetFileName));
            var page = await File.ReadAllTextAsync(html);
            foreach (var app in new[] { "baseline", "lameduck" })
                Assert.Contains($"\"name\":\"{app}\",\"bucket_ms\"", page); // the run, in the page's data
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(page, "\"label\":\"r1 terminating\"")); // r1's lane mark, once per run
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--sample", "nope" }, "--sample")]
    [InlineData(new[] { "--sample", "baseline", "--propagation", "3s..1s" }, "--propagation")]
    [InlineData(new[] { "--sample", "baseline", "--max-surge", "0", "--max-unavailable", "0" }, "--max-surge and --max-unavailable")]
    [InlineData(new[] { "--sample", "baseline", "--rollout-at", "90s" }, "--rollout-at")]
    [InlineData(new[] { "--sample", "baseline", "--stop-signal", "NOPE" }, "--stop-signal")]
    [InlineData(new[] { "--sample", "baseline", "--grace-period", "soon" }, "--grace-period")]
    [InlineData(new[] { "--sample", "baseline", "--end-after-rollout", "soon" }, "--end-after-rollout")]
    [InlineData(new[] { "--sample", "baseline", "--end-after-rollout", "-1s" }, "--end-after-rollout")]
    [InlineData(new[] { "--sample", "baseline", "--pre-stop", "x", "--pre-stop-sleep", "1s" }, "--pre-stop and --pre-stop-sleep")]
    [InlineData(new[] { "--sample", "baseline", "--env", "NOEQUALS" }, "--env")]
    [InlineData(new string[0], "after --")]
    [InlineData(new[] { "--sample", "baseline", "--ingress", "traefik" }, "--ingress: 'traefik' is not one of l7, kube-proxy, nginx, haproxy")]
    public void Bad_usage_exits_2_with_a_message_naming_the_flag(string[] args, string expected)
    {
        var run = LabCli.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr); // no stack trace
        Assert.Empty(run.Pids);
    }

    [Fact]
    public void Ingress_builtin_says_it_was_renamed_and_names_the_two_built_in_modes()
    {
        var run = LabCli.Run("--sample", "baseline", "--ingress", "builtin");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--ingress: 'builtin' was renamed", run.Stderr);
        Assert.Contains("--ingress kube-proxy", run.Stderr);
        Assert.Contains("l7 (the default", run.Stderr);
        Assert.DoesNotContain("is not one of", run.Stderr); // one clear message, not two
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Empty(run.Pids);
    }
}
