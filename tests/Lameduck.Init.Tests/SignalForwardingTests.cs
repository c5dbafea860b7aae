using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>Signals are forwarded to the app's process group as they come, except TERM, which is rewritten.</summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class SignalForwardingTests
{
    [Fact]
    public void Forwards_HUP_INT_QUIT_USR1_USR2_WINCH_to_the_app_in_order()
    {
        using var recorder = new SignalRecorder();
        using var run = SupervisedRun.Init(["--", .. recorder.Command]);
        recorder.WaitUntilReady();

        (int Number, string Name)[] signals =
        [
            (SignalTable.SIGHUP, "HUP"), (SignalTable.SIGINT, "INT"), (SignalTable.SIGQUIT, "QUIT"),
            (SignalTable.SIGUSR1, "USR1"), (SignalTable.SIGUSR2, "USR2"), (SignalTable.SIGWINCH, "WINCH"),
        ];
        foreach (var (number, name) in signals)
        {
            run.Signal(number); // one at a time: the kernel may merge two pending signals of the same number
            recorder.WaitFor(name, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(signals.Select(s => s.Name), recorder.Received);
        Assert.False(run.HasExited);
    }

    [Theory]
    [InlineData("nginx", "QUIT")]
    [InlineData("php-fpm", "QUIT")]
    [InlineData("haproxy", "USR1")]
    [InlineData("apache", "WINCH")]
    public void SIGTERM_becomes_the_presets_graceful_stop_signal(string preset, string expected)
    {
        using var recorder = new SignalRecorder(exitOn: expected);
        // php-fpm's goes through LAMEDUCK_PRESET, the form a pod spec uses.
        var env = preset == "php-fpm" ? new Dictionary<string, string> { ["LAMEDUCK_PRESET"] = preset } : null;
        string[] presetArgs = preset == "php-fpm" ? [] : ["--preset", preset];
        using var run = SupervisedRun.Init([.. presetArgs, "--delay", "100ms", "--", .. recorder.Command], env);
        recorder.WaitUntilReady();

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal([expected], recorder.Received);
        Assert.Contains($"sent SIG{expected} to process group", run.StderrText);
    }

    [Fact]
    public void Stop_signal_flag_overrides_the_preset()
    {
        using var recorder = new SignalRecorder(exitOn: "USR2");
        using var run = SupervisedRun.Init(["--preset", "nginx", "--stop-signal", "SIGUSR2", "--delay", "0s", "--", .. recorder.Command]);
        recorder.WaitUntilReady();

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(["USR2"], recorder.Received);
    }

    [Fact]
    public void Without_a_preset_the_stop_signal_is_TERM()
    {
        using var recorder = new SignalRecorder(exitOn: "TERM");
        using var run = SupervisedRun.Init(["--delay", "0s", "--", .. recorder.Command]);
        recorder.WaitUntilReady();
        Assert.Contains("no preset", run.WaitForLine(" start: "));

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(["TERM"], recorder.Received);
    }

    [Fact]
    public void The_preset_is_guessed_from_the_command_name()
    {
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var links = new TempDirectory();
        var nginx = links.File("nginx"); // an app called nginx, as /usr/sbin/nginx would be
        File.CreateSymbolicLink(nginx, recorder.Script);
        using var run = SupervisedRun.Init(["--delay", "0s", "--", nginx, .. recorder.Command[1..]]);
        recorder.WaitUntilReady();
        Assert.Contains("preset nginx (guessed from the command)", run.WaitForLine(" start: "));

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(["QUIT"], recorder.Received);
    }

    [Fact]
    public void With_a_preset_its_stop_signal_starts_the_shutdown_as_Kubernetes_sends_the_images_STOPSIGNAL()
    {
        // The official nginx image says STOPSIGNAL SIGQUIT, so the kubelet sends QUIT, not TERM, to PID 1.
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(["--preset", "nginx", "--delay", "1s", "--", .. recorder.Command]);
        recorder.WaitUntilReady();
        Assert.Contains("shutdown on SIGTERM/SIGQUIT", run.WaitForLine(" start: "));

        run.Signal(SignalTable.SIGQUIT);

        Assert.Contains("SIGQUIT received; lame duck", run.WaitForLine(" shutdown: "));
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.InRange(run.ElapsedMsOf("stop"), 1000, 1750); // the 1 s window started by QUIT, then the stop signal
        Assert.Equal(["QUIT"], recorder.Received);
    }

    [Fact]
    public void Term_signals_can_be_narrowed_so_the_stop_signal_is_forwarded_at_once()
    {
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(["--preset", "nginx", "--delay", "20s", "--", .. recorder.Command],
            new Dictionary<string, string> { ["LAMEDUCK_TERM_SIGNALS"] = "TERM" });
        recorder.WaitUntilReady();

        run.Signal(SignalTable.SIGQUIT);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(15))); // well before the 20 s delay
        Assert.Contains("forward: SIGQUIT", run.StderrText);
        Assert.Equal(["QUIT"], recorder.Received);
    }
}
