using System.Runtime.InteropServices;

namespace Lameduck.Contract.Signals;

/// <summary>
/// <c>kill(2)</c>, declared once for the parts that signal processes (lameduck-init, the lab): to one process, or to
/// a process group when the pid is negative, as the kubelet's runtime signals a container.
/// </summary>
/// <example><c>ProcessSignals.Send(-pgid, SignalTable.SIGQUIT)</c></example>
internal static partial class ProcessSignals
{
    /// <summary>Sends <paramref name="signal"/>; false when no such process or group exists (already gone) or it is not ours.</summary>
    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>True while a process with this pid exists (a zombie counts; EPERM means it exists but is not ours).</summary>
    public static bool Exists(int pid) => kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
