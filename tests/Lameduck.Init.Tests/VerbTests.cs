using System.Diagnostics;
using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>The preStop verbs for images without a shell: sleep and signal.</summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class VerbTests
{
    [Fact]
    public void Sleep_waits_the_duration_and_exits_0()
    {
        var watch = Stopwatch.StartNew();
        using var run = SupervisedRun.Init(["sleep", "700ms"]);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(700), $"slept only {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Signal_sends_the_signal_after_the_wait()
    {
        using var target = Process.Start("sleep", "60");
        try
        {
            var watch = Stopwatch.StartNew();
            using var run = SupervisedRun.Init(["signal", "--after", "500ms", "TERM", target.Id.ToString()]);
            Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.True(target.WaitForExit(TimeSpan.FromSeconds(30)), "the target did not get SIGTERM");
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(500));
            Assert.Equal(128 + SignalTable.SIGTERM, target.ExitCode);
        }
        finally
        {
            if (!target.HasExited) target.Kill();
        }
    }

    [Fact]
    public void Signal_by_number_and_without_a_wait()
    {
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var app = SupervisedRun.Start("bash", recorder.Command);
        recorder.WaitUntilReady();

        using var run = SupervisedRun.Init(["signal", "3", app.Pid.ToString()]);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, app.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(["QUIT"], recorder.Received);
    }

    [Fact]
    public void Signal_to_a_process_that_does_not_exist_exits_1()
    {
        using var run = SupervisedRun.Init(["signal", "QUIT", "4194304"]); // above Linux's highest pid_max
        Assert.Equal(1, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("cannot send SIGQUIT to 4194304: No such process", run.StderrText);
    }

    [Fact]
    public void Install_copies_the_binary_into_a_directory_as_an_init_container_would()
    {
        using var dir = new TempDirectory();
        using var install = SupervisedRun.Init(["install", dir.Path]);
        Assert.Equal(0, install.WaitForExit(TimeSpan.FromSeconds(60)));

        var copy = dir.File("lameduck-init");
        using var run = SupervisedRun.Start(copy, ["--", "sh", "-c", "exit 5"]);
        Assert.Equal(5, run.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void Install_into_a_place_it_cannot_write_says_why_and_exits_1()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("lameduck-init")); // a directory where the file should go
        using var install = SupervisedRun.Init(["install", dir.Path]);
        Assert.Equal(1, install.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("lameduck-init: ", install.StderrText);
        Assert.Contains(dir.File("lameduck-init"), install.StderrText);
        Assert.DoesNotContain("   at ", install.StderrText);
    }
}
