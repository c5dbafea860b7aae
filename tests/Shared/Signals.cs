using System.Runtime.InteropServices;

namespace Lameduck.Testing;

/// <summary>Real POSIX signals through libc's kill(2): <c>Process.Kill</c> only ever sends SIGKILL.</summary>
internal static partial class Signals
{
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGTERM = 15;

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
