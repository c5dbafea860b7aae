using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>lameduck-init exits with the app's code, as a shell would report it.</summary>
public sealed class ExitCodeTests
{
    private static int Run(string[] args, Dictionary<string, string>? env = null)
    {
        using var run = SupervisedRun.Init(args, env);
        return run.WaitForExit(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(255)]
    public void The_apps_exit_code_propagates(int code) =>
        Assert.Equal(code, Run(["--", "sh", "-c", $"exit {code}"]));

    [Fact]
    public void An_app_ended_by_a_signal_gives_128_plus_the_signal() =>
        Assert.Equal(128 + SignalTable.SIGUSR1, Run(["--", "sh", "-c", "kill -USR1 $$"]));

    [Fact]
    public void An_app_ended_by_SIGTERM_gives_143() =>
        Assert.Equal(143, Run(["--", "sh", "-c", "kill -TERM $$"]));

    [Fact]
    public void Exit_143_as_0_reports_an_app_ended_by_SIGTERM_as_success()
    {
        Assert.Equal(0, Run(["--exit-143-as-0", "--", "sh", "-c", "kill -TERM $$"]));
        Assert.Equal(0, Run(["--", "sh", "-c", "exit 143"], new() { ["LAMEDUCK_EXIT_143_AS_0"] = "true" }));
        Assert.Equal(42, Run(["--exit-143-as-0", "--", "sh", "-c", "exit 42"]));
    }

    [Fact]
    public void A_command_that_does_not_exist_gives_127()
    {
        using var run = SupervisedRun.Init(["--", "lameduck-no-such-command"]);
        Assert.Equal(127, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("cannot run 'lameduck-no-such-command': No such file or directory", run.StderrText);
    }

    [Fact]
    public void A_command_that_is_not_executable_gives_126()
    {
        using var dir = new TempDirectory();
        var script = dir.Write("not-executable.sh", "#!/bin/sh\nexit 0\n");
        using var run = SupervisedRun.Init(["--", script]);
        Assert.Equal(126, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("Permission denied", run.StderrText);
    }

    [Fact]
    public void The_app_gets_its_arguments_and_environment_unchanged()
    {
        using var run = SupervisedRun.Init(["--", "sh", "-c", "printf '%s|' \"$@\" \"$APP_SETTING\"", "sh", "a b", "", "ü"],
            new Dictionary<string, string> { ["APP_SETTING"] = "kept" });
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(["a b||ü|kept|"], run.Stdout);
    }
}
