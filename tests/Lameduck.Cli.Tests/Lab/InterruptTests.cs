using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>
/// Ctrl-C for real: SIGINT to a real <c>lameduck lab</c> process in the middle of its load. It must stop the load,
/// write the reports for what was measured (stdout and --report), exit 130, and leave no replica, ingress or port
/// behind. The in-process test of the same path (LabRunnerTests) cancels a token; this one goes through the
/// signal handler, the command's exit code and the process's own cleanup.
/// </summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed partial class InterruptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task SIGINT_during_the_load_exits_130_with_the_reports_written_and_nothing_left_running()
    {
        var html = _dir.File("lab.html");
        using var lab = ChildProcess.StartLameduck("lab", "--sample", "lameduck", "--replicas", "2", "--rate", "200", "--duration", "60s",
            "--rollout-at", "50s", "--readiness-period", "0.5s", "--output", "json", "--report", html);
        int[] pids = [];
        try
        {
            // The load is under way once its first progress line is out (every 5 s when stderr is not a terminal).
            await lab.WaitForStderrAsync("load: 5s", TimeSpan.FromSeconds(120));

            lab.Signal("INT");
            var code = await lab.WaitForExitAsync(TimeSpan.FromSeconds(60));

            pids = Pids().Matches(lab.Stderr).Select(m => int.Parse(m.Groups[1].Value)).Distinct().ToArray();
            var ports = Ports().Matches(lab.Stderr).Select(m => int.Parse(m.Groups[1].Value)).Distinct().ToArray();
            Assert.True(pids.Length >= 2, "the replicas' pids were announced\n" + lab.Stderr);
            await ProcessAssert.AllGoneAsync(pids);
            await Init.ReplicaSessions.AssertEmptyAsync(pids);
            await ProcessAssert.PortsFreeAsync(ports);
            Assert.True(code == 130, $"exit {code}\n{lab.Stderr}");
        }
        finally
        {
            // A failed test must not leave replicas behind either (each runs in a session of its own).
            Init.ReplicaSessions.Kill(pids.Length > 0 ? pids : Pids().Matches(lab.Stderr).Select(m => int.Parse(m.Groups[1].Value)));
        }
        Assert.Contains("interrupted", lab.Stderr);

        // The report covers what was measured: the ~5 s before the signal (the progress line rounds, so "5s" can be
        // printed from 4.5 s on) of the 60 s scheduled, none lost to the stop.
        var json = JsonNode.Parse(lab.Stdout)!;
        Assert.True((bool)json["interrupted"]!);
        var requests = (long)json["requests"]!;
        Assert.InRange(requests, 4 * 200, 11_999);
        Assert.Equal(0, (long)json["errors"]!);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("</html>", page);
        Assert.Contains("\"requests\":" + requests.ToString(System.Globalization.CultureInfo.InvariantCulture), page);
    }

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"\bpid (\d+)")]
    private static partial Regex Pids();

    [GeneratedRegex(@"(?:\bport |127\.0\.0\.1:)(\d+)")]
    private static partial Regex Ports();
}
