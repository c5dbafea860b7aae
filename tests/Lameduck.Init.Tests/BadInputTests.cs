using Lameduck.Init.Tests.Support;

namespace Lameduck.Init.Tests;

/// <summary>Bad input: a message that names the flag or variable at fault, exit code 2, no stack trace.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string[], string?, string> Cases => new()
    {
        { ["--stop-signal", "BOGUS", "--", "true"], null, "--stop-signal: unknown signal 'BOGUS'" },
        { ["--preset", "tomcat", "--", "true"], null, "--preset: unknown preset 'tomcat' (known: nginx, php-fpm, haproxy, apache)" },
        { ["--term-signals", "TERM,BOGUS", "--", "true"], null, "--term-signals: unknown signal 'BOGUS'" },
        { ["--delay", "5x", "--", "true"], null, "--delay: '5x' is not a duration: unknown unit 'x'" },
        { ["--grace-period=abc", "--", "true"], null, "--grace-period: 'abc' is not a duration" },
        { ["--", "true"], "LAMEDUCK_DELAY=five", "LAMEDUCK_DELAY: 'five' is not a duration" },
        { ["--", "true"], "LAMEDUCK_STOP_SIGNAL=SIGFOO", "LAMEDUCK_STOP_SIGNAL: unknown signal 'SIGFOO'" },
        { ["--"], null, "missing command" },
        { [], null, "missing command" },
        { ["--delay", "1s"], null, "missing command" },
        { ["--delay"], null, "--delay needs a value" },
        { ["--drain-port", "70000", "--", "true"], null, "--drain-port: '70000' is not a TCP port" },
        { ["--quiet-period", "1s", "--", "true"], null, "--quiet-period needs --drain-port" },
        { ["--drain-port", "80", "--quiet-period", "0s", "--", "true"], null, "--quiet-period must be more than 0" },
        { ["--min-delay", "1s", "--", "true"], null, "--min-delay needs --drain-port (LAMEDUCK_DRAIN_PORT)" },
        { ["--", "true"], "LAMEDUCK_MIN_DELAY=2s", "LAMEDUCK_MIN_DELAY needs --drain-port (LAMEDUCK_DRAIN_PORT)" },
        { ["--drain-port", "80", "--min-delay", "6s", "--", "true"], null, "--min-delay 6s must not be longer than --delay 5s" },
        { ["--drain-port", "80", "--delay", "3s", "--", "true"], "LAMEDUCK_MIN_DELAY=4s", "LAMEDUCK_MIN_DELAY 4s must not be longer than --delay 3s" },
        { ["--drain-port", "80", "--min-delay", "soon", "--", "true"], null, "--min-delay: 'soon' is not a duration" },
        { ["--delay", "29s", "--", "true"], null, "--delay 29s leaves no time to drain" },
        { ["--margin", "40s", "--", "true"], null, "--margin 40s must be less than --grace-period 30s" },
        { ["--exit-143-as-0=maybe", "--", "true"], null, "--exit-143-as-0: 'maybe' is not true or false" },
        { ["--frobnicate", "--", "true"], null, "unknown option '--frobnicate'" },
        { ["sleep", "5 parsecs"], null, "sleep: '5 parsecs' is not a duration" },
        { ["sleep"], null, "sleep takes one duration" },
        { ["signal", "NOPE", "1"], null, "signal: unknown signal 'NOPE'" },
        { ["signal", "--after", "soon", "QUIT", "1"], null, "signal --after: 'soon' is not a duration" },
        { ["signal", "QUIT", "one"], null, "signal: 'one' is not a process id" },
        { ["install", "/no/such/dir"], null, "install: directory '/no/such/dir' does not exist" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_exits_2_with_a_message_naming_the_culprit(string[] args, string? env, string message)
    {
        var environment = env is null ? null : new Dictionary<string, string> { [env[..env.IndexOf('=')]] = env[(env.IndexOf('=') + 1)..] };
        using var run = SupervisedRun.Init(args, environment);

        Assert.Equal(2, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("lameduck-init: " + message, run.StderrText);
        Assert.Contains("Try 'lameduck-init --help'.", run.StderrText);
        Assert.DoesNotContain("Exception", run.StderrText);
        Assert.DoesNotContain("   at ", run.StderrText);
    }

    [Fact]
    public void A_flag_wins_over_its_variable()
    {
        using var run = SupervisedRun.Init(["--delay", "1s", "--", "true"], new Dictionary<string, string> { ["LAMEDUCK_DELAY"] = "not-a-duration-but-overridden" });
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("delay 1s", run.WaitForLine(" start: "));
    }

    [Fact]
    public void Help_lists_every_option_with_its_variable()
    {
        using var run = SupervisedRun.Init(["--help"]);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        var help = string.Join('\n', run.Stdout);
        foreach (var (flag, variable) in new[]
                 {
                     ("--preset", "LAMEDUCK_PRESET"), ("--stop-signal", "LAMEDUCK_STOP_SIGNAL"), ("--term-signals", "LAMEDUCK_TERM_SIGNALS"), ("--delay", "LAMEDUCK_DELAY"),
                     ("--drain-port", "LAMEDUCK_DRAIN_PORT"), ("--quiet-period", "LAMEDUCK_QUIET_PERIOD"), ("--min-delay", "LAMEDUCK_MIN_DELAY"),
                     ("--grace-period", "LAMEDUCK_GRACE_PERIOD"), ("--margin", "LAMEDUCK_MARGIN"), ("--exit-143-as-0", "LAMEDUCK_EXIT_143_AS_0"),
                 })
        {
            Assert.Contains(flag, help);
            Assert.Contains(variable, help);
        }
    }
}
