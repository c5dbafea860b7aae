using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;

namespace Lameduck.Cli.Tests.Verify.Command;

[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class VerifyCommandTests
{
    private static (Reply, int) SevenAndEleven(long arrival, int _) =>
        arrival % 11 == 0 ? (Reply.Status, 502) : arrival % 7 == 0 ? (Reply.Status, 503) : (Reply.Status, 200);

    [Fact]
    public async Task Json_output_follows_the_contract_and_matches_the_servers_count()
    {
        await using var server = new ScriptedHttpServer(SevenAndEleven);
        var outcome = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "200", "--duration", "1s", "--output", "json");

        var json = JsonNode.Parse(outcome.Stdout)!.AsObject();
        Assert.Equal(200, (long)json["requests"]!);
        Assert.Equal(200, server.Arrivals); // the warm-up before the run sends nothing to the target
        Assert.Equal(200.0, (double)json["rate"]!);
        Assert.Equal(1.0, (double)json["duration_s"]!);
        Assert.Equal(server.Count("200"), (long)json["status_codes"]!["200"]!);
        Assert.Equal(server.Count("503"), (long)json["status_codes"]!["503"]!);
        Assert.Equal(server.Count("502"), (long)json["status_codes"]!["502"]!);
        Assert.Equal(server.Count("503") + server.Count("502"), (long)json["errors"]!);
        Assert.Equal(server.Count("200") / 200.0, (double)json["success_ratio"]!, 6);
        foreach (var name in new[] { "connection refused", "connection reset", "timeout", "other" })
            Assert.Equal(0, (long)json["error_set"]![name]!);
        foreach (var p in new[] { "mean", "p50", "p90", "p95", "p99", "max" })
            Assert.True((double)json["latency_ms"]![p]! > 0, $"latency_ms.{p}");
        Assert.True((double)json["throughput"]! > 0);
        // Errors exceed the default --max-errors 0: exit 1, and stderr says which threshold.
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"--max-errors exceeded: {server.Count("503") + server.Count("502")} (limit 0)", outcome.Stderr);
    }

    [Fact]
    public async Task Text_output_has_the_vegeta_layout_and_exit_0_when_thresholds_hold()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        var outcome = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "100", "--duration", "1s", "--max-p99", "10s");

        Assert.Equal(0, outcome.ExitCode);
        foreach (var label in new[] { "Requests      [total, rate, throughput]", "Duration      [total, attack, wait]",
                     "Latencies     [mean, 50, 90, 95, 99, max]", "Success       [ratio]", "Status Codes  [code:count]", "Error Set:" })
            Assert.Contains(label, outcome.Stdout);
        Assert.Contains("100.00%", outcome.Stdout);
        Assert.Contains("200:100", outcome.Stdout);
        Assert.Contains("Threshold     [max-p99]", outcome.Stdout);
        // Progress and the start line go to stderr, never to stdout.
        Assert.Contains("verify: ", outcome.Stderr);
        Assert.Contains("sent 100/100", outcome.Stderr);
    }

    [Fact]
    public async Task A_p99_above_the_limit_fails_with_exit_1_naming_it()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Hang, 0));
        var outcome = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "20", "--duration", "0.5s",
            "--timeout", "200ms", "--max-p99", "100ms", "--max-errors", "1000");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("--max-p99 exceeded", outcome.Stderr);
        Assert.DoesNotContain("--max-errors exceeded", outcome.Stderr);
    }

    [Fact]
    public async Task Verify_report_rebuilds_exactly_the_original_json_from_the_results_file()
    {
        await using var server = new ScriptedHttpServer(SevenAndEleven);
        using var dir = new TempDirectory();
        var results = dir.File("results.csv");
        var live = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "150", "--duration", "3s", "--output", "json",
            "--results", results, "--during", "echo rolling; exit 0", "--at", "0.5s", "--during-log", dir.File("during.log"));
        var rebuilt = await CliRunner.RunAsync("verify", "report", results, "--output", "json");

        Assert.Equal(1, live.ExitCode);
        Assert.Equal(live.ExitCode, rebuilt.ExitCode);
        Assert.Equal(live.Stdout, rebuilt.Stdout);
        var json = JsonNode.Parse(rebuilt.Stdout)!;
        Assert.Equal(450, (long)json["requests"]!);
        Assert.Equal(["during: start", "during: exit"], json["events"]!.AsArray().Select(e => (string)e!["name"]!));
        Assert.Contains("rolling", await File.ReadAllTextAsync(dir.File("during.log")));

        var text = await CliRunner.RunAsync("verify", "report", results);
        Assert.Contains("Requests      [total, rate, throughput]       450, 150.00", text.Stdout);
    }

    [Fact]
    public async Task A_failing_during_command_fails_the_run_and_its_start_and_exit_are_events()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        using var dir = new TempDirectory();
        // 3 s leaves the shell time to start and exit even on a loaded machine.
        var outcome = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "50", "--duration", "3s", "--output", "json",
            "--during", "echo out; echo err >&2; exit 3", "--at", "200ms", "--during-log", dir.File("during.log"));

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("the --during command failed: exited with code 3", outcome.Stderr);
        var events = JsonNode.Parse(outcome.Stdout)!["events"]!.AsArray();
        Assert.Equal("during: start", (string)events[0]!["name"]!);
        Assert.InRange((double)events[0]!["at_s"]!, 0.15, 2.5);
        Assert.Equal("exit code 3", (string)events[1]!["detail"]!);
        var log = await File.ReadAllTextAsync(dir.File("during.log"));
        Assert.Contains("out", log);
        Assert.Contains("err", log);
    }

    [Fact]
    public async Task A_during_command_still_running_at_the_end_is_killed_and_reported()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        using var dir = new TempDirectory();
        var watch = Stopwatch.StartNew();
        var outcome = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "50", "--duration", "1s", "--output", "json",
            "--during", "sleep 60", "--during-log", dir.File("during.log"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the run must not wait for the during command");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("still running when the load run ended; killed", outcome.Stderr);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_run_and_every_report_covers_what_was_sent()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        using var dir = new TempDirectory();
        var results = dir.File("results.csv");
        var html = dir.File("report.html");
        using var child = ChildProcess.StartLameduck("verify", server.Url.ToString(), "--rate", "100", "--duration", "60s",
            "--output", "json", "--results", results, "--report", html);
        await child.WaitForStderrAsync("verify: GET", TimeSpan.FromSeconds(30));
        var deadline = Stopwatch.StartNew();
        while (server.Count("200") < 50 && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        child.Signal("INT");
        var code = await child.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(130, code);
        Assert.Contains("interrupted", child.Stderr);
        var json = JsonNode.Parse(child.Stdout)!;
        Assert.True((bool)json["interrupted"]!);
        var requests = (long)json["requests"]!;
        Assert.InRange(requests, 50, 5999);
        Assert.Equal(server.Count("200"), requests);                                  // nothing sent was lost
        Assert.Equal(requests, File.ReadLines(results).Count(l => l.StartsWith("req,", StringComparison.Ordinal)));
        Assert.True(File.Exists(html));
        var rebuilt = await CliRunner.RunAsync("verify", "report", results, "--output", "json");
        Assert.Equal(child.Stdout.ReplaceLineEndings("\n"), rebuilt.Stdout.ReplaceLineEndings("\n"));
        Assert.Equal(1, rebuilt.ExitCode); // replaying a partial run: it proves nothing
        Assert.Contains("a partial run cannot prove the thresholds", rebuilt.Stderr);
    }

    [Fact]
    public async Task Progress_lines_are_printed_periodically_when_stderr_is_not_a_terminal()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        var outcome = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "50", "--duration", "6s", "--output", "json");
        var lines = outcome.Stderr.Split('\n').Where(l => l.Contains(" sent ", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 2, $"expected a line every 5 s and a final one, got:\n{outcome.Stderr}");
        Assert.Contains("sent 300/300", lines[^1]);
        Assert.Contains("errors 0", lines[^1]);
        JsonDocument.Parse(outcome.Stdout).Dispose(); // stdout is pure JSON
    }
}
