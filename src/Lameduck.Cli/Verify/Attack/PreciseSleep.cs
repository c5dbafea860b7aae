using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// Sleeps with microsecond resolution where the OS allows it. <see cref="Thread.Sleep(int)"/> has millisecond
/// granularity, too coarse for a schedule whose send lag target is under 1 ms; on Linux this calls
/// <c>nanosleep</c> after shrinking the thread's timer slack (50 µs by default) to 1 µs.
/// </summary>
internal static partial class PreciseSleep
{
    private const int PrSetTimerSlack = 29;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(ref TimeSpec request, IntPtr remaining);

    private const int SchedFifo = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int pid, int policy, ref SchedParam param);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>Asks for precise wake-ups on the calling thread (Linux timer slack); harmless elsewhere.</summary>
    public static void TightenTimerSlackOfCurrentThread()
    {
        if (OperatingSystem.IsLinux()) _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);
    }

    /// <summary>
    /// Asks the kernel to run the calling thread before ordinary threads when it wakes (SCHED_FIFO, lowest real-time
    /// priority), so a machine busy with other work delays the schedule less. Needs CAP_SYS_NICE (root); returns
    /// false, changing nothing, without it or off Linux. The thread mostly sleeps, and the kernel caps real-time
    /// threads at 95 % of a core by default, so it cannot starve the machine.
    /// </summary>
    public static bool TryRaiseCurrentThreadToRealTime()
    {
        if (!OperatingSystem.IsLinux()) return false;
        var param = new SchedParam { Priority = 1 };
        return SchedSetScheduler(0, SchedFifo, ref param) == 0;
    }

    /// <summary>Sleeps about <paramref name="stopwatchTicks"/> (<see cref="Stopwatch"/> ticks).</summary>
    public static void For(long stopwatchTicks)
    {
        if (stopwatchTicks <= 0) return;
        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, stopwatchTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            return;
        }
        var nanoseconds = (long)(stopwatchTicks * (1e9 / Stopwatch.Frequency));
        var spec = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        _ = NanoSleep(ref spec, IntPtr.Zero);
    }
}
