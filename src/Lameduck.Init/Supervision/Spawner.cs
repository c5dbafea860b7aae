using System.Runtime.InteropServices;
using Lameduck.Init.Native;

namespace Lameduck.Init.Supervision;

/// <summary>
/// Starts the app with posix_spawnp: in a process group of its own (so signals reach its workers too),
/// with an empty signal mask and every signal at its default action.
/// </summary>
/// <remarks>
/// Not fork(): the .NET runtime is multithreaded, and a forked copy may only call async-signal-safe
/// functions before exec. Not System.Diagnostics.Process: it installs its own SIGCHLD handling and
/// waitpid calls, which would race the waitpid(-1) reaper. The reset of dispositions matters because
/// the runtime ignores SIGPIPE, and ignored signals survive exec.
/// </remarks>
internal static class Spawner
{
    /// <summary>Starts <paramref name="command"/>; returns its pid, or throws <see cref="SpawnException"/> with the errno.</summary>
    public static unsafe int Spawn(IReadOnlyList<string> command)
    {
        var attr = Marshal.AllocHGlobal(Libc.SpawnAttrBufferSize);
        var emptySet = Marshal.AllocHGlobal(Libc.SigSetBufferSize);
        var fullSet = Marshal.AllocHGlobal(Libc.SigSetBufferSize);
        var argv = new IntPtr[command.Count + 1];
        try
        {
            for (int i = 0; i < command.Count; i++) argv[i] = Marshal.StringToCoTaskMemUTF8(command[i]);
            Check(Libc.posix_spawnattr_init(attr));
            Libc.sigemptyset(emptySet);
            Libc.sigfillset(fullSet);
            IncludeGlibcInternalSignals(fullSet);
            Check(Libc.posix_spawnattr_setflags(attr,
                Libc.POSIX_SPAWN_SETPGROUP | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF));
            Check(Libc.posix_spawnattr_setpgroup(attr, 0)); // 0: a new group whose id is the child's pid
            Check(Libc.posix_spawnattr_setsigmask(attr, emptySet));
            Check(Libc.posix_spawnattr_setsigdefault(attr, fullSet));
            fixed (IntPtr* argvPtr = argv)
            {
                int error = Libc.posix_spawnp(out int pid, command[0], IntPtr.Zero, attr, (IntPtr)argvPtr, Libc.Environ());
                if (error != 0) throw new SpawnException(command[0], error);
                return pid;
            }
        }
        finally
        {
            Libc.posix_spawnattr_destroy(attr);
            foreach (var p in argv) if (p != IntPtr.Zero) Marshal.FreeCoTaskMem(p);
            Marshal.FreeHGlobal(attr);
            Marshal.FreeHGlobal(emptySet);
            Marshal.FreeHGlobal(fullSet);
        }
    }

    // glibc's sigfillset leaves out its internal signals 32 and 33 (SIGCANCEL, SIGSETXID), and its
    // posix_spawn sets every signal outside the SETSIGDEF set that the parent handles to SIG_IGN; an
    // ignored signal stays ignored across exec. Setting their bits by hand (bit n-1 of the first word)
    // gives the app SIG_DFL for them, as fork+exec from a shell would.
    private static void IncludeGlibcInternalSignals(IntPtr set)
    {
        const long bits = (1L << (32 - 1)) | (1L << (33 - 1));
        Marshal.WriteInt64(set, Marshal.ReadInt64(set) | bits);
    }

    private static void Check(int error)
    {
        if (error != 0) throw new SpawnException("posix_spawnattr", error);
    }
}

/// <summary>The app could not be started; <see cref="ExitCode"/> is what a shell would return (127 not found, 126 not executable).</summary>
internal sealed class SpawnException(string what, int errno)
    : Exception($"cannot run '{what}': {Libc.ErrorText(errno)}")
{
    public int Errno { get; } = errno;

    public int ExitCode => Errno switch
    {
        Libc.ENOENT => 127,
        Libc.EACCES or Libc.ENOEXEC or Libc.EPERM => 126,
        _ => 1,
    };
}
