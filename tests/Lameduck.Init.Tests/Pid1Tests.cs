using System.Globalization;
using Lameduck.Init.Tests.Support;
using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>
/// lameduck-init as PID 1 of a new PID namespace, as in a container: the kernel drops signals PID 1 has no
/// handler for, and orphans come to PID 1 without any prctl. Needs root for unshare (CI and this machine run as root).
/// </summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class Pid1Tests
{
    [Fact]
    public void As_PID_1_it_rewrites_SIGTERM_and_reaps_orphans()
    {
        Assert.True(Environment.UserName == "root", "unshare --pid needs root; run the tests as root (CI does)");
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        // The recorder leaves an orphan first: an inner shell whose background sleep outlives it.
        using var run = SupervisedRun.Start("unshare", ["--pid", "--fork", "--kill-child", InitBinary.Path,
            "--preset", "nginx", "--delay", "200ms", "--", "bash", "-c", "bash -c 'sleep 0.1 &'; exec \"$@\"", "app", .. recorder.Command]);
        recorder.WaitUntilReady();
        Assert.Contains("PID 1", run.WaitForLine(" start: "));

        // The namespace's PID 1 is unshare's child; signal it by its pid outside the namespace.
        var init = int.Parse(File.ReadAllText($"/proc/{run.Pid}/task/{run.Pid}/children").Trim(), CultureInfo.InvariantCulture);
        Posix.Signal(init, SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(["QUIT"], recorder.Received);
        Assert.Contains("; 1 orphaned processes reaped", run.WaitForLine(" exit: "));
    }
}
