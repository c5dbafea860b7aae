using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>Replicas that run lameduck-init are told the lab pod's budget, read with lameduck-init's own grammar.</summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class LameduckInitBudgetTests
{
    private static ReplicaTemplate Template(IReadOnlyList<string> initArguments, Dictionary<string, string>? environment = null) =>
        new(["/opt/bin/lameduck-init", .. initArguments, "--", "/app", "{port}"], environment ?? []);

    [Fact]
    public void The_pods_grace_period_and_preStop_become_lameduck_inits_variables()
    {
        var notes = new StringWriter();
        var template = LameduckInitBudget.Apply(Template(["--preset", "nginx"]), TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(3), notes);

        Assert.Equal("12s", template.Environment["LAMEDUCK_GRACE_PERIOD"]);
        Assert.Equal("3s", template.Environment["LAMEDUCK_PRE_STOP"]);
        Assert.Equal("", notes.ToString());
    }

    [Fact]
    public void Defaults_that_already_match_are_not_written()
    {
        var template = LameduckInitBudget.Apply(Template([]), TimeSpan.FromSeconds(30), TimeSpan.Zero, new StringWriter());

        Assert.False(template.Environment.ContainsKey("LAMEDUCK_GRACE_PERIOD"));
        Assert.False(template.Environment.ContainsKey("LAMEDUCK_PRE_STOP"));
    }

    [Fact]
    public void A_grace_period_the_command_line_sets_is_kept_and_a_differing_one_is_reported()
    {
        var notes = new StringWriter();
        // The flag wins over the variable in lameduck-init: the flag's 30s is what it would use.
        var template = LameduckInitBudget.Apply(Template(["--grace-period=30s"], new() { ["LAMEDUCK_GRACE_PERIOD"] = "12s" }),
            TimeSpan.FromSeconds(12), TimeSpan.Zero, notes);

        Assert.Equal("12s", template.Environment["LAMEDUCK_GRACE_PERIOD"]); // untouched (and ignored by lameduck-init)
        Assert.Contains("lameduck-init has --grace-period 30s, but the pod's is 12s", notes.ToString());
    }

    [Fact]
    public void Another_command_is_left_as_it_is()
    {
        var template = new ReplicaTemplate(["/usr/bin/tini", "--", "/app"], new Dictionary<string, string>());
        Assert.Same(template, LameduckInitBudget.Apply(template, TimeSpan.FromSeconds(5), TimeSpan.Zero, new StringWriter()));
    }

    [Fact]
    public void A_command_line_lameduck_init_would_refuse_is_usage_and_no_replica_starts()
    {
        var error = Assert.Throws<UsageException>(() =>
            LameduckInitBudget.Apply(Template(["--delay", "20s"]), TimeSpan.FromSeconds(10), TimeSpan.Zero, new StringWriter()));
        Assert.Contains("the replicas' lameduck-init would refuse to start: --delay 20s leaves no time to drain", error.Message);

        var run = LabCli.Run(["--grace-period", "10s", "--", "/opt/bin/lameduck-init", "--delay", "20s", "--", "/app"]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("lameduck lab: error: the replicas' lameduck-init would refuse to start", run.Stderr);
        Assert.Empty(run.Pids);
    }
}
