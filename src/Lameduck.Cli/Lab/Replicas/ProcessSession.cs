using System.Globalization;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// The processes of one session, read from <c>/proc</c>. A replica is started in a session of its own, and
/// everything it spawns stays in it unless it calls <c>setsid</c> itself: an init such as tini or lameduck-init
/// puts its app in a new process group (out of reach of a signal to the replica's group) but not in a new
/// session. So the session is what a container's cgroup holds, for the lab's purposes.
/// </summary>
internal static class ProcessSession
{
    /// <summary>Pids of the live processes of session <paramref name="sessionId"/>.</summary>
    /// <example><code>foreach (var pid in ProcessSession.Members(replica.Pid)) ProcessSignals.Send(pid, SignalTable.SIGKILL);</code></example>
    public static IReadOnlyList<int> Members(int sessionId)
    {
        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && SessionOf(pid) == sessionId)
                members.Add(pid);
        }
        return members;
    }

    private static int? SessionOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so count from the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[3], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // exited while we looked
        }
    }
}
