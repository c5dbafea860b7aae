using System.Runtime.InteropServices;

namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>
/// The Linux system calls the HTTP/1.1 engine makes, on raw file descriptors: no <c>Socket</c> object, no
/// exception, no allocation per call; failures come back as errno values. Constants are Linux's (the same on
/// x86-64 and arm64, the two architectures the engine runs on).
/// </summary>
internal static unsafe partial class LibC
{
    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int SockStream = 1;
    public const int SockNonBlock = 0x800;
    public const int SockCloExec = 0x80000;
    public const int SolSocket = 1;
    public const int SoError = 4;
    public const int IpProtoTcp = 6;
    public const int TcpNoDelay = 1;
    public const int MsgNoSignal = 0x4000;
    public const int FDupFdCloExec = 1030;

    public const int EpollCloExec = 0x80000;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;

    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int EPipe = 32;
    public const int ENetUnreach = 101;
    public const int EConnAborted = 103;
    public const int EConnReset = 104;
    public const int ETimedOut = 110;
    public const int EConnRefused = 111;
    public const int EHostUnreach = 113;
    public const int EInProgress = 115;

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* address, int addressLength);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, int* value, int valueLength);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, int* value, int* valueLength);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    /// <summary>fcntl with an int argument (the engine uses F_DUPFD_CLOEXEC only).</summary>
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, byte* evt);

    /// <summary>epoll_wait with a nanosecond timeout (Linux 5.11, glibc 2.35); null waits forever.</summary>
    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    public static partial int EpollPWait2(int epfd, byte* events, int maxEvents, TimeSpec* timeout, nint sigmask);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);

    /// <summary>errno of the last call above (on the calling thread).</summary>
    public static int Errno => Marshal.GetLastPInvokeError();
}
