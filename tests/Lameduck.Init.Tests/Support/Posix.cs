using System.Runtime.InteropServices;

namespace Lameduck.Init.Tests.Support;

/// <summary>Sends real signals; .NET's Process API can only send SIGKILL.</summary>
internal static partial class Posix
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15, SIGWINCH = 28;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    public static void Signal(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
