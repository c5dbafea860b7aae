namespace Lameduck.Init.Drain;

/// <summary>
/// The kernel's sock_diag ABI for TCP sockets, as far as lameduck-init uses it: the numbers and struct
/// layouts of <c>linux/netlink.h</c>, <c>linux/sock_diag.h</c>, <c>linux/inet_diag.h</c> and <c>linux/tcp.h</c>.
/// This is what <c>ss -ti</c> (iproute2) reads; the layouts are part of the stable user-space ABI
/// (fields are only ever appended).
/// </summary>
internal static class InetDiag
{
    public const int NETLINK_SOCK_DIAG = 4;

    // struct nlmsghdr { u32 nlmsg_len; u16 nlmsg_type; u16 nlmsg_flags; u32 nlmsg_seq; u32 nlmsg_pid; }
    public const int NlMsgHeaderSize = 16;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort SOCK_DIAG_BY_FAMILY = 20;
    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH

    // struct nlattr { u16 nla_len; u16 nla_type; } then the payload, padded to 4 bytes.
    public const int NlAttrHeaderSize = 4;
    public const ushort NlaTypeMask = 0x3FFF; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER

    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;
    public const byte IPPROTO_TCP = 6;

    // struct inet_diag_req_v2 { u8 family, protocol, ext, pad; u32 states; struct inet_diag_sockid id; }
    public const int RequestSize = 56;

    // struct inet_diag_sockid { be16 sport, dport; be32 src[4], dst[4]; u32 if; u32 cookie[2]; } (48 bytes)
    // struct inet_diag_msg { u8 family, state, timer, retrans; struct inet_diag_sockid id;
    //                        u32 expires, rqueue, wqueue, uid, inode; } (72 bytes)
    public const int MessageSize = 72;
    public const int MessageStateOffset = 1;
    public const int MessageLocalPortOffset = 4;   // id.idiag_sport, big-endian
    public const int MessageReceiveQueueOffset = 56; // idiag_rqueue: bytes received that the app has not read
    public const int MessageInodeOffset = 68;        // idiag_inode: 0 while no process holds the socket (not accepted yet, or closed)
    public const int MessageCookieOffset = 4 + 40; // id.idiag_cookie[0], then [1]: the socket's cookie, low word first

    // Attributes: INET_DIAG_REQ_BYTECODE in a request, INET_DIAG_INFO (struct tcp_info) in a reply.
    public const ushort INET_DIAG_REQ_BYTECODE = 1;
    public const ushort INET_DIAG_INFO = 2;

    // struct inet_diag_bc_op { u8 code; u8 yes; u16 no; } and, for S_COND, struct inet_diag_hostcond
    // { u8 family; u8 prefix_len; int port; be32 addr[]; } (8 bytes with no address: family AF_UNSPEC).
    public const byte INET_DIAG_BC_S_COND = 7;
    public const int BytecodeOpSize = 4;
    public const int HostCondSize = 8;

    /// <summary>Offset of <c>tcpi_bytes_received</c> (u64) in struct tcp_info (Linux 4.1 and later).</summary>
    public const int TcpInfoBytesReceivedOffset = 128;

    // TCP states (include/net/tcp_states.h).
    public const byte TCP_ESTABLISHED = 1;
    public const byte TCP_SYN_RECV = 3;
    public const byte TCP_FIN_WAIT2 = 5;
    public const byte TCP_TIME_WAIT = 6;
    public const byte TCP_CLOSE_WAIT = 8;
    public const byte TCP_LAST_ACK = 9;
    public const byte TCP_LISTEN = 10;
    public const byte TCP_CLOSING = 11;

    /// <summary>Every state but LISTEN: TCP_ESTABLISHED (1) to TCP_NEW_SYN_RECV (12), as a bit mask of (1 &lt;&lt; state).</summary>
    public const uint EveryStateButListen = 0x1FFE & ~(1u << TCP_LISTEN);

    /// <summary>Rounds up to netlink's 4-byte alignment (NLMSG_ALIGN, NLA_ALIGN).</summary>
    public static int Align(int length) => (length + 3) & ~3;
}
