using System.Runtime.InteropServices;

namespace Lameduck.Init.Native;

/// <summary>
/// The few libc calls a supervisor needs, source-generated with <c>[LibraryImport]</c> so NativeAOT
/// binds them without reflection. Names follow libc so <c>man 2 NAME</c> documents each one. (kill(2) is the shutdown contract's ProcessSignals.)
/// </summary>
internal static partial class Libc
{
    private const string Lib = "libc";

    public const int ECHILD = 10;
    public const int ESRCH = 3;
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int ENOEXEC = 8;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int PR_SET_CHILD_SUBREAPER = 36;

    // <sys/socket.h> (Linux values), for the sock_diag netlink socket (Drain/NetlinkSocket.cs).
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVTIMEO = 20;

    // <spawn.h> flags (glibc values).
    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>glibc x86-64: posix_spawnattr_t is 336 bytes, sigset_t 128; generous buffers cover other ABIs.</summary>
    public const int SpawnAttrBufferSize = 1024;
    public const int SigSetBufferSize = 256;


    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, out int status, int options);

    [LibraryImport(Lib)]
    public static partial int getpid();

    [LibraryImport(Lib, SetLastError = true)]
    public static unsafe partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Lib)]
    public static partial int getpgrp();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static unsafe partial int setsockopt(int fd, int level, int optname, void* optval, int optlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static unsafe partial nint sendto(int fd, byte* buffer, nint length, int flags, void* address, int addressLength);

    [LibraryImport(Lib, SetLastError = true)]
    public static unsafe partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib)]
    public static partial IntPtr signal(int signum, IntPtr handler);

    [LibraryImport(Lib)]
    public static partial int isatty(int fd);

    [LibraryImport(Lib)]
    public static partial int tcgetpgrp(int fd);

    [LibraryImport(Lib)]
    public static partial int tcsetpgrp(int fd, int pgrp);

    /// <summary>Returns 0 or an errno value (posix_spawn does not use errno).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawnp(out int pid, string file, IntPtr fileActions, IntPtr attr, IntPtr argv, IntPtr envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(IntPtr attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(IntPtr attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(IntPtr attr, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setpgroup(IntPtr attr, int pgroup);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(IntPtr attr, IntPtr sigmask);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(IntPtr attr, IntPtr sigdefault);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(IntPtr set);

    [LibraryImport(Lib)]
    public static partial int sigfillset(IntPtr set);

    [LibraryImport(Lib)]
    public static partial IntPtr strerror(int errnum);

    /// <summary>The text libc gives for an errno value, e.g. "No such file or directory".</summary>
    public static string ErrorText(int errno) => Marshal.PtrToStringUTF8(strerror(errno)) ?? $"errno {errno}";

    /// <summary>The process environment as libc holds it (<c>extern char **environ</c>), passed on unchanged to the child.</summary>
    public static IntPtr Environ()
    {
        var handle = NativeLibrary.Load("libc.so.6");
        return Marshal.ReadIntPtr(NativeLibrary.GetExport(handle, "environ"));
    }
}
