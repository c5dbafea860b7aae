using System.Runtime.InteropServices;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests.Support;

/// <summary>Sends real signals (.NET's Process API can only send SIGKILL) and fails loudly when the process is not there.</summary>
internal static class Posix
{
    /// <summary>kill(2) through the shutdown contract's <see cref="ProcessSignals"/>; numbers from its <see cref="SignalTable"/>.</summary>
    public static void Signal(int pid, int signal)
    {
        if (!ProcessSignals.Send(pid, signal))
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
