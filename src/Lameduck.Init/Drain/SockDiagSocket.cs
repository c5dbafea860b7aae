using System.Runtime.InteropServices;
using Lameduck.Init.Native;

namespace Lameduck.Init.Drain;

/// <summary>
/// A NETLINK_SOCK_DIAG socket: dumps the TCP sockets on one local port with their tcp_info, as
/// <c>ss -ti sport = :PORT</c> does. It sees the network namespace of this process (the pod's, shared by
/// all its containers) and needs no privilege there: sock_diag dumps are open to every user.
/// </summary>
/// <example>
/// <code>
/// using var diag = SockDiagSocket.Open();
/// var sockets = new List&lt;TcpSocketSample&gt;();
/// diag.Dump(InetDiag.AF_INET, 8080, sockets);
/// </code>
/// </example>
internal sealed unsafe class SockDiagSocket : IDisposable
{
    // The kernel fills at most about 32 KiB per datagram of a dump (netlink's max_recvmsg_len cap);
    // twice that leaves room, and MSG_TRUNC tells if a datagram was ever larger.
    private const int ReceiveBufferSize = 64 * 1024;
    private const int MSG_TRUNC = 0x20;

    // A dump is answered at once; this only bounds a kernel that never answers, which would otherwise
    // stall the supervisor's only loop (signals, the deadline's SIGKILL).
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(1);

    private readonly int _fd;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
    private uint _sequence;

    private SockDiagSocket(int fd) => _fd = fd;

    /// <summary>Opens the socket; throws <see cref="SockDiagException"/> saying what failed (e.g. a sandbox without sock_diag).</summary>
    public static SockDiagSocket Open()
    {
        // CLOEXEC: the app and anything it spawns must not inherit lameduck-init's descriptor.
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, InetDiag.NETLINK_SOCK_DIAG);
        if (fd < 0) throw Failure("socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
        long* timeout = stackalloc long[2] { (long)ReceiveTimeout.TotalSeconds, 0 }; // struct timeval
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, 2 * sizeof(long)) != 0)
        {
            var failure = Failure("setsockopt(SO_RCVTIMEO) on the sock_diag socket");
            Libc.close(fd);
            throw failure;
        }
        return new SockDiagSocket(fd);
    }

    /// <summary>
    /// Adds every TCP socket of <paramref name="family"/> with local port <paramref name="localPort"/>, in any
    /// state but LISTEN (or those in <paramref name="states"/>), to <paramref name="sockets"/>.
    /// Throws <see cref="SockDiagException"/> on failure.
    /// </summary>
    public void Dump(byte family, int localPort, List<TcpSocketSample> sockets, uint states = InetDiag.EveryStateButListen)
    {
        uint sequence = NextSequence();
        Span<byte> request = stackalloc byte[InetDiagRequest.Size];
        InetDiagRequest.Write(request, family, localPort, sequence, states);
        Dump(request, sequence, sockets);
    }

    /// <summary>A sequence number for the next request, so replies to an abandoned one are told apart.</summary>
    public uint NextSequence() => ++_sequence;

    /// <summary>
    /// Sends any sock_diag dump <paramref name="request"/> whose nlmsg_seq is <paramref name="sequence"/> and adds the
    /// sockets of the reply to <paramref name="sockets"/> (the benchmark sends one without the port filter).
    /// </summary>
    public void Dump(ReadOnlySpan<byte> request, uint sequence, List<TcpSocketSample> sockets)
    {
        byte* kernel = stackalloc byte[12]; // struct sockaddr_nl { AF_NETLINK, pad, pid 0 (the kernel), groups 0 }
        new Span<byte>(kernel, 12).Clear();
        kernel[0] = Libc.AF_NETLINK;
        fixed (byte* message = request)
        {
            while (Libc.sendto(_fd, message, request.Length, 0, kernel, 12) < 0)
            {
                if (Marshal.GetLastPInvokeError() != Libc.EINTR) throw Failure("sending the sock_diag dump request");
            }
        }

        fixed (byte* buffer = _buffer)
        {
            while (true)
            {
                nint received = Libc.recv(_fd, buffer, _buffer.Length, MSG_TRUNC);
                if (received < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR) continue;
                    throw errno == Libc.EAGAIN
                        ? new SockDiagException($"the kernel did not answer the sock_diag dump within {ReceiveTimeout.TotalSeconds:0}s")
                        : Failure("receiving the sock_diag dump");
                }
                if (received > _buffer.Length)
                    throw new SockDiagException($"a sock_diag datagram of {received} bytes did not fit the {_buffer.Length}-byte buffer");
                if (InetDiagReply.Parse(new ReadOnlySpan<byte>(buffer, (int)received), sequence, sockets)) return;
            }
        }
    }

    public void Dispose() => Libc.close(_fd);

    private static SockDiagException Failure(string what) =>
        new($"{what} failed: {Libc.ErrorText(Marshal.GetLastPInvokeError())}");
}
