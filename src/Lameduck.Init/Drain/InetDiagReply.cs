using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Lameduck.Init.Native;

namespace Lameduck.Init.Drain;

/// <summary>
/// Parses the datagrams the kernel answers a sock_diag dump with: one <c>inet_diag_msg</c> per socket,
/// each followed by attributes (lameduck-init reads <c>INET_DIAG_INFO</c>), until <c>NLMSG_DONE</c>.
/// </summary>
internal static class InetDiagReply
{
    /// <summary>
    /// Adds the sockets in <paramref name="datagram"/> to <paramref name="sockets"/>; true once the dump is
    /// complete (NLMSG_DONE). Messages of another sequence number (a dump abandoned earlier) are skipped.
    /// Throws <see cref="SockDiagException"/> when the kernel answered with an error or the data is malformed.
    /// </summary>
    /// <example><c>while (!InetDiagReply.Parse(buffer[..received], sequence, sockets)) received = Receive(buffer);</c></example>
    public static bool Parse(ReadOnlySpan<byte> datagram, uint sequence, List<TcpSocketSample> sockets)
    {
        while (datagram.Length >= InetDiag.NlMsgHeaderSize)
        {
            int length = (int)Read<uint>(datagram, 0);
            if (length < InetDiag.NlMsgHeaderSize || length > datagram.Length)
                throw new SockDiagException($"malformed netlink reply: a message of {length} bytes in a datagram of {datagram.Length}");
            var message = datagram[..length];
            datagram = datagram[Math.Min(InetDiag.Align(length), datagram.Length)..];
            if (Read<uint>(message, 8) != sequence) continue;

            switch (Read<ushort>(message, 4))
            {
                case InetDiag.NLMSG_DONE:
                    return true;
                case InetDiag.NLMSG_ERROR:
                    int error = message.Length >= InetDiag.NlMsgHeaderSize + 4 ? -Read<int>(message, InetDiag.NlMsgHeaderSize) : 0;
                    throw new SockDiagException($"the kernel refused the dump: {(error > 0 ? Libc.ErrorText(error) : "unknown error")}");
                case InetDiag.SOCK_DIAG_BY_FAMILY:
                    sockets.Add(Socket(message[InetDiag.NlMsgHeaderSize..]));
                    break;
            }
        }
        return false;
    }

    private static TcpSocketSample Socket(ReadOnlySpan<byte> body)
    {
        if (body.Length < InetDiag.MessageSize)
            throw new SockDiagException($"malformed sock_diag reply: inet_diag_msg of {body.Length} bytes");
        var cookie = Read<uint>(body, InetDiag.MessageCookieOffset) | ((ulong)Read<uint>(body, InetDiag.MessageCookieOffset + 4) << 32);
        byte state = body[InetDiag.MessageStateOffset];
        int port = BinaryPrimitives.ReadUInt16BigEndian(body[InetDiag.MessageLocalPortOffset..]);
        uint unread = Read<uint>(body, InetDiag.MessageReceiveQueueOffset);
        uint inode = Read<uint>(body, InetDiag.MessageInodeOffset);

        var attributes = body[Math.Min(InetDiag.Align(InetDiag.MessageSize), body.Length)..];
        while (attributes.Length >= InetDiag.NlAttrHeaderSize)
        {
            int length = Read<ushort>(attributes, 0);
            if (length < InetDiag.NlAttrHeaderSize || length > attributes.Length)
                throw new SockDiagException($"malformed sock_diag reply: an attribute of {length} bytes in {attributes.Length}");
            if ((Read<ushort>(attributes, 2) & InetDiag.NlaTypeMask) == InetDiag.INET_DIAG_INFO)
            {
                var info = attributes[InetDiag.NlAttrHeaderSize..length];
                if (info.Length < InetDiag.TcpInfoBytesReceivedOffset + 8)
                    throw new SockDiagException($"this kernel's tcp_info ({info.Length} bytes) has no tcpi_bytes_received (Linux 4.1 added it)");
                return new TcpSocketSample(cookie, state, port, HasInfo: true, Read<ulong>(info, InetDiag.TcpInfoBytesReceivedOffset), unread, inode);
            }
            attributes = attributes[Math.Min(InetDiag.Align(length), attributes.Length)..];
        }
        return new TcpSocketSample(cookie, state, port, HasInfo: false, BytesReceived: 0, unread, inode);
    }

    // Netlink and sock_diag numbers are in host byte order (ports and addresses aside).
    private static T Read<T>(ReadOnlySpan<byte> span, int offset) where T : unmanaged => MemoryMarshal.Read<T>(span[offset..]);
}
