using Lameduck.Cli.Tests.Suite;
using Xunit.Abstractions;

namespace Lameduck.Cli.Tests.Lab.Proof;

/// <summary>
/// Issue 11's proof for the library: the repository's HelloService in a rolling update through the L7 ingresses
/// (<see cref="ProofRun"/>). As shipped (ASP.NET Core's own shutdown, <c>--sample baseline</c>) Kestrel unbinds at
/// SIGTERM while the pod is still routed: errors. With Lameduck nothing is dropped, with its default settings (a 5 s
/// window), with <c>QuietPeriod</c> (the window ends a quiet period after the last request, which an L7 proxy sends
/// over connections it already has), and with <c>Readiness=KeepServing</c> (readiness stays 200 during the window).
/// </summary>
/// <remarks>
/// One class per ingress: through l7 beside the other proof classes, through nginx alone in the lab collection (see
/// <see cref="InitProofTests"/>'s remarks for why).
/// </remarks>
public abstract class LibraryProofTests(ITestOutputHelper output)
{
    /// <summary>The baseline and each setting.</summary>
    public static TheoryData<string> Settings() => ["baseline", "default", "QuietPeriod", "KeepServing"];

    /// <summary>Runs one case: <paramref name="setting"/> through <paramref name="ingress"/>.</summary>
    protected async Task RunCaseAsync(string setting, string ingress)
    {
        // KeepServing runs with the quiet period too, so its window is short and adaptive.
        var quiet = "Lameduck__QuietPeriod=" + ProofRun.Quiet.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        string[] args = setting switch
        {
            "baseline" => ["--sample", "baseline"],
            "default" => ["--sample", "lameduck"],
            "QuietPeriod" => ["--sample", "lameduck", "--env", quiet],
            _ => ["--sample", "lameduck", "--env", quiet, "--env", "Lameduck__Readiness=KeepServing"],
        };
        var (run, logs) = await ProofRun.RunAsync(ingress, null, args);
        output.WriteLine(ProofRun.Summary($"HelloService {setting}", run));
        Assert.Equal(setting == "baseline" ? "baseline" : "lameduck", (string?)run["app"]);
        if (setting == "baseline")
        {
            ProofRun.AssertBaselineDrops(run, logs);
            if (ingress == "nginx")
            {
                // The lab passes on what nginx logged about the drops: a pod that had stopped listening refuses
                // nginx's connect, one that closed a kept-alive connection under a request cuts it.
                Assert.Matches(@"lab: baseline: nginx logged \d+ errors? \(why it answered 502/504\)", logs());
                Assert.Matches(@"\n  \S+ \S+ \[error\] .*(Connection refused|prematurely closed|reset by peer).* upstream: ""http://127\.0\.0\.1:\d+/""", logs());
            }
            if (ingress == "l7")
            {
                // Per-request balancing: while both old pods are routed, half of 1,000 req/s goes to them after they
                // stopped listening, each a 502 (hundreds in all). 100 is far below that: fewer means requests are not
                // balanced per request, or a refused upstream connection is not answered 502.
                Assert.True(((long?)run["status_codes"]?["502"] ?? 0) >= 100, "l7: a refused upstream connection must be a 502 for the client\n" + run);
            }
            return;
        }
        ProofRun.AssertNothingDropped(run, adaptive: setting != "default", logs);
        if (setting == "default")
        {
            // The default window is the whole 5 s Delay (then a quick drain): nothing ends it early.
            Assert.All(run["terminations"]!.AsArray(), t => Assert.InRange((double)t!["sigterm_to_exit_s"]!, 4.9, 10));
        }
    }
}

/// <summary>The library's proof through the lab's own L7 ingress.</summary>
public sealed class LibraryProofThroughL7Tests(ITestOutputHelper output) : LibraryProofTests(output)
{
    [Theory]
    [MemberData(nameof(Settings))]
    public Task Rollout_drops_requests_as_shipped_and_none_with_Lameduck(string setting) => RunCaseAsync(setting, "l7");
}

/// <summary>The library's proof through a real nginx, alone in the lab collection.</summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class LibraryProofThroughNginxTests(ITestOutputHelper output) : LibraryProofTests(output)
{
    [Theory]
    [MemberData(nameof(Settings))]
    public Task Rollout_drops_requests_as_shipped_and_none_with_Lameduck(string setting) => RunCaseAsync(setting, "nginx");
}
