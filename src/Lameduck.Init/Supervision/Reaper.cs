using System.Runtime.InteropServices;
using Lameduck.Init.Native;
using Lameduck.Init.Signals;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Supervision;

/// <summary>
/// Collects every child that exits: the app, and orphans the kernel re-parents to us because we are
/// PID 1 or a child subreaper. Without this they stay zombies and fill the pid table.
/// </summary>
/// <remarks>
/// A thread blocked in waitpid(-1), not a SIGCHLD handler with waitpid(-1, WNOHANG): once anything
/// registers for SIGCHLD, the .NET runtime's own signal thread (System.Native pal_signal.c) calls
/// waitpid(-1) itself whenever the process is PID 1 ("containers usually don't have an init daemon"),
/// before any managed handler runs, and the app's exit status would be lost. So lameduck-init never
/// registers SIGCHLD, sets it to SIG_DFL (an inherited SIG_IGN would make the kernel discard statuses),
/// and owns every waitpid call.
/// </remarks>
internal sealed class Reaper
{
    private readonly int _mainPid;
    private readonly SignalInbox _inbox;
    private readonly Lock _gate = new();
    private int _orphansReaped;
    private WaitStatus? _mainStatus;

    /// <summary>Starts reaping; <paramref name="inbox"/> gets a SIGCHLD when the app has exited.</summary>
    public Reaper(int mainPid, SignalInbox inbox)
    {
        _mainPid = mainPid;
        _inbox = inbox;
        new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "reaper" }.Start();
    }

    /// <summary>The app's status once it has been reaped.</summary>
    public WaitStatus? MainStatus
    {
        get
        {
            lock (_gate) return _mainStatus;
        }
    }

    /// <summary>Orphans (not the app) reaped so far.</summary>
    public int OrphansReaped => Volatile.Read(ref _orphansReaped);

    /// <summary>Call before the app is started: lets SIGCHLD do what the kernel does by default (keep zombies for waitpid).</summary>
    public static void ResetChildSignal() => Libc.signal(SignalTable.SIGCHLD, IntPtr.Zero /* SIG_DFL */);

    /// <summary>
    /// Asks the kernel to re-parent orphaned descendants to this process; PID 1 gets them anyway.
    /// Returns false when it could not (then grandchildren go to the real PID 1).
    /// </summary>
    public static bool BecomeSubreaper() =>
        Libc.getpid() == 1 || Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;

    private void Run()
    {
        while (true)
        {
            int pid = Libc.waitpid(-1, out int status, 0);
            if (pid == _mainPid)
            {
                lock (_gate) _mainStatus = new WaitStatus(status);
                _inbox.Post(SignalTable.SIGCHLD);
            }
            else if (pid > 0)
            {
                Interlocked.Increment(ref _orphansReaped);
            }
            else if (Marshal.GetLastPInvokeError() != Libc.EINTR)
            {
                return; // ECHILD: no child left (the app was reaped before this)
            }
        }
    }
}
