using System.Globalization;
using Lameduck.Init.Tests.Support;

namespace Lameduck.Init.Tests;

/// <summary>The app starts as if from a shell: own process group, no signal blocked, none ignored (.NET ignores SIGPIPE; the app must not inherit that).</summary>
public sealed class SpawnTests
{
    [Fact]
    public void The_app_has_default_signal_dispositions_and_an_empty_mask()
    {
        using var run = SupervisedRun.Init(["--", "sh", "-c", "exec grep -E '^(SigBlk|SigIgn):' /proc/self/status"]);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"], run.Stdout);
    }

    [Fact]
    public void The_app_leads_its_own_process_group()
    {
        using var run = SupervisedRun.Init(["--", "sh", "-c", "exec cat /proc/self/stat"]);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        var stat = Assert.Single(run.Stdout);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        int pid = int.Parse(stat[..stat.IndexOf(' ')], CultureInfo.InvariantCulture);
        Assert.Equal(pid, int.Parse(fields[2], CultureInfo.InvariantCulture)); // pgrp == pid
        Assert.Equal(run.Pid, int.Parse(fields[1], CultureInfo.InvariantCulture)); // parent is lameduck-init
    }
}
