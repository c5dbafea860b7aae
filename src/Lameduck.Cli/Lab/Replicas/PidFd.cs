using System.Runtime.InteropServices;
using Lameduck.Cli.Verify.Attack.Http1;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// Waits for a child process's exit through a Linux pidfd (<c>pidfd_open</c>, then <c>poll</c> until it is readable),
/// which the kernel makes readable the moment the process exits, before anyone reaps it. Timed by .NET's own exit
/// notice instead, a full test run saw two pods' exits noted together 1.87 s after their own logs said they had
/// exited, and another an exit 2.27 s late (docs/TESTING.md, runs 59 and 60); the lab's exit times must not depend
/// on what held that notice up.
/// </summary>
internal static partial class PidFd
{
    private const short PollIn = 0x001;

    /// <summary>
    /// Opens a pidfd for <paramref name="pid"/>; -1 where pidfds are not available (kernel before 5.3, glibc before
    /// 2.36) or the process is already gone. Call it right after starting the child, while it cannot have been reaped.
    /// </summary>
    public static int Open(int pid)
    {
        try
        {
            return PidFdOpen(pid, 0);
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Blocks until the process behind <paramref name="pidFd"/> has exited, then closes the pidfd. False when the wait
    /// failed instead (a poll error other than EINTR): the exit was not seen, and the caller must wait another way.
    /// </summary>
    public static bool WaitAndClose(int pidFd)
    {
        try
        {
            var fds = new PollFd { Fd = pidFd, Events = PollIn };
            int ready;
            while ((ready = Poll(ref fds, 1, -1)) < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr) { }
            return ready > 0;
        }
        finally
        {
            LibC.Close(pidFd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "pidfd_open", SetLastError = true)]
    private static partial int PidFdOpen(int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);
}
