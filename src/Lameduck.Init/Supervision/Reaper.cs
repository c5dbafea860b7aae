using System.Runtime.InteropServices;
using Lameduck.Init.Native;

namespace Lameduck.Init.Supervision;

/// <summary>
/// Collects every child that has exited: the app, and orphans the kernel re-parents to us because we
/// are PID 1 or a child subreaper. Without this they stay zombies and fill the pid table.
/// </summary>
internal sealed class Reaper(int mainPid)
{
    /// <summary>The app's status once it has been reaped.</summary>
    public WaitStatus? MainStatus { get; private set; }

    /// <summary>Orphans (not the app) reaped so far.</summary>
    public int OrphansReaped { get; private set; }

    /// <summary>
    /// Asks the kernel to re-parent orphaned descendants to this process; PID 1 gets them anyway.
    /// Returns false when it could not (then grandchildren go to the real PID 1).
    /// </summary>
    public static bool BecomeSubreaper() =>
        Libc.getpid() == 1 || Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;

    /// <summary>waitpid(-1, WNOHANG) until nothing is left to collect; true when the app was among them.</summary>
    public bool ReapAll()
    {
        bool mainExited = false;
        while (true)
        {
            int pid = Libc.waitpid(-1, out int status, Libc.WNOHANG);
            if (pid > 0)
            {
                if (pid == mainPid)
                {
                    MainStatus = new WaitStatus(status);
                    mainExited = true;
                }
                else
                {
                    OrphansReaped++;
                }
                continue;
            }
            if (pid < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
            return mainExited; // 0: children remain but none exited; -1/ECHILD: no children at all
        }
    }
}
