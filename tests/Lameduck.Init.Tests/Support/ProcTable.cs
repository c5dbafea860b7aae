using System.Globalization;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests.Support;

/// <summary>What /proc says about processes: parent, process group, state (Z for zombie).</summary>
internal static class ProcTable
{
    public readonly record struct Entry(int Pid, char State, int ParentPid, int ProcessGroup);

    public static List<Entry> All()
    {
        var result = new List<Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }
            // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            result.Add(new Entry(pid, fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture)));
        }
        return result;
    }

    public static List<Entry> ChildrenOf(int pid) => All().Where(e => e.ParentPid == pid).ToList();

    public static List<Entry> InGroup(int pgid) => All().Where(e => e.ProcessGroup == pgid).ToList();

    /// <summary>SIGKILLs every process in <paramref name="pgid"/>; cleanup for tests that fail midway.</summary>
    public static void KillGroup(int pgid)
    {
        if (pgid > 1) ProcessSignals.Send(-pgid, SignalTable.SIGKILL);
    }
}
