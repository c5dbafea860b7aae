using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>
/// One epoll instance, level-triggered, whose registrations carry a 32-bit token (the engine's connection id).
/// <c>struct epoll_event</c> is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes), so events
/// are read from a raw buffer at the offsets of the running architecture.
/// </summary>
internal sealed unsafe class Epoll : IDisposable
{
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;
    private readonly int _fd;
    private readonly byte* _events;
    private readonly int _capacity;
    private int _count;
    private bool _disposed;
    private static bool s_noPWait2;

    /// <param name="capacity">Most events one wait returns.</param>
    public Epoll(int capacity)
    {
        _fd = LibC.EpollCreate1(LibC.EpollCloExec);
        if (_fd < 0) throw new IOException($"epoll_create1 failed (errno {LibC.Errno})");
        _capacity = capacity;
        _events = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * EventSize));
    }

    /// <summary>The epoll instance's own descriptor.</summary>
    public int Fd => _fd;

    /// <summary>True where this engine can run: Linux on x86-64 or arm64.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Registers <paramref name="fd"/>; returns 0 or an errno.</summary>
    public int Add(int fd, uint events, int token) => Control(LibC.EpollCtlAdd, fd, events, token);

    /// <summary>Changes what <paramref name="fd"/> is watched for; returns 0 or an errno.</summary>
    public int Modify(int fd, uint events, int token) => Control(LibC.EpollCtlMod, fd, events, token);

    private int Control(int op, int fd, uint events, int token)
    {
        byte* evt = stackalloc byte[16];
        *(uint*)evt = events;
        *(ulong*)(evt + DataOffset) = (uint)token;
        return LibC.EpollCtl(_fd, op, fd, evt) == 0 ? 0 : LibC.Errno;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutTicks"/> (<see cref="Stopwatch"/> ticks; 0 polls) for events and returns
    /// how many are ready; read them with <see cref="EventAt"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Wait(long timeoutTicks)
    {
        int n;
        if (timeoutTicks <= 0)
        {
            n = LibC.EpollWait(_fd, _events, _capacity, 0);
        }
        else if (s_noPWait2)
        {
            n = LibC.EpollWait(_fd, _events, _capacity, (int)Math.Min(int.MaxValue, (timeoutTicks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
        }
        else
        {
            var ns = (long)(timeoutTicks * (1e9 / Stopwatch.Frequency));
            var spec = new LibC.TimeSpec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
            try
            {
                n = LibC.EpollPWait2(_fd, _events, _capacity, &spec, 0);
            }
            catch (EntryPointNotFoundException)
            {
                // glibc older than 2.35: millisecond timeouts only (the engine busy-polls the last stretch anyway).
                s_noPWait2 = true;
                return Wait(timeoutTicks);
            }
        }
        if (n < 0)
        {
            var errno = LibC.Errno;
            if (errno != LibC.EIntr) throw new IOException($"epoll_wait failed (errno {errno})");
            n = 0;
        }
        _count = n;
        return n;
    }

    /// <summary>The <paramref name="index"/>th event of the last wait: its flags and the token it was registered with.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (uint Events, int Token) EventAt(int index)
    {
        Debug.Assert(index < _count);
        var evt = _events + index * EventSize;
        return (*(uint*)evt, (int)*(ulong*)(evt + DataOffset));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        LibC.Close(_fd);
        NativeMemory.Free(_events);
    }
}
