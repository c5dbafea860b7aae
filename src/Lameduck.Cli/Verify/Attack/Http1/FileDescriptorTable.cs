namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>
/// Grows this process's file-descriptor table ahead of need. Linux grows the table on demand, by doubling, when a
/// new descriptor does not fit; in a multi-threaded process each growth waits for an RCU grace period
/// (<c>expand_files</c> → <c>synchronize_rcu</c>), which blocked the engine's thread in <c>socket()</c> for 5–14 ms
/// (perf sched on the 2-core VM, 77,000 req/s against nginx): a stall that shows as send lag in the middle of a
/// run. The table never shrinks, so growing it once before t0 takes those stalls out of the run.
/// </summary>
internal static class FileDescriptorTable
{
    /// <summary>Smallest reservation worth making: the kernel's table starts with room for 64 descriptors.</summary>
    private const int InitialTableSize = 64;

    /// <summary>
    /// Makes room for <paramref name="extra"/> more descriptors above those open now; under RLIMIT_NOFILE the
    /// reservation halves until the kernel accepts it. <paramref name="openFd"/> is any descriptor this process has
    /// open, duplicated for the probes and left as it was. Returns the descriptor number the table now reaches
    /// without growing, or -1 when no reservation was possible. Costs 8 bytes of kernel memory per slot.
    /// </summary>
    public static int Reserve(int openFd, int extra)
    {
        // F_DUPFD returns the lowest free descriptor at or above its argument: with 0, the first gap, an estimate of
        // how many are open; with n, a descriptor at n or above, for which the kernel grows the table.
        int lowest = LibC.Fcntl(openFd, LibC.FDupFdCloExec, 0);
        if (lowest < 0) return -1;
        LibC.Close(lowest);
        for (int target = lowest + Math.Max(extra, 0); target >= InitialTableSize; target /= 2)
        {
            int fd = LibC.Fcntl(openFd, LibC.FDupFdCloExec, target);
            if (fd < 0) continue; // EINVAL: beyond RLIMIT_NOFILE; EMFILE: no descriptor left up there
            LibC.Close(fd);
            return fd;
        }
        return -1;
    }
}
