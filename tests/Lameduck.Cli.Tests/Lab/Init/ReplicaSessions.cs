using System.Globalization;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>
/// Every process in the sessions of the lab's replicas. The lab starts each replica in its own session
/// and kills its process group, but an init (tini, lameduck-init) puts the app in a process group of its
/// own, so nginx's and php-fpm's masters and workers are only found by their session (which none of them
/// leaves: no daemonizing). This is what a container runtime's cgroup would hold.
/// </summary>
internal static class ReplicaSessions
{
    /// <summary>Pids of the live processes whose session id is one of <paramref name="sessionIds"/>.</summary>
    public static IReadOnlyList<int> Members(IEnumerable<int> sessionIds) => sessionIds.SelectMany(ProcessSession.Members).ToArray();

    /// <summary>Waits (up to 10 s) until the sessions are empty; fails naming what is left.</summary>
    public static async Task AssertEmptyAsync(IEnumerable<int> sessionIds)
    {
        var sessions = sessionIds.ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Members(sessions).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var left = Members(sessions);
        Assert.True(left.Count == 0, "processes left behind: " + string.Join(", ", left.Select(Describe)));
    }

    /// <summary>SIGKILL to everything still in the sessions (cleanup after a failed test).</summary>
    public static void Kill(IEnumerable<int> sessionIds)
    {
        foreach (var pid in Members(sessionIds)) ProcessSignals.Send(pid, SignalTable.SIGKILL);
    }

    private static string Describe(int pid)
    {
        try { return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})"; }
        catch (IOException) { return pid.ToString(CultureInfo.InvariantCulture); }
    }
}
