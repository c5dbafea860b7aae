namespace Lameduck.Init.Drain;

/// <summary>
/// One TCP socket on the watched port, as a sock_diag dump shows it.
/// </summary>
/// <param name="Cookie">The kernel's id for the socket (<c>idiag_cookie</c>): stable for its whole life, TIME_WAIT included, never reused while the system runs.</param>
/// <param name="State">TCP state (1 ESTABLISHED ... 6 TIME_WAIT ... 8 CLOSE_WAIT ...).</param>
/// <param name="LocalPort">The socket's local port.</param>
/// <param name="HasInfo">
/// True when the kernel sent the socket's <c>struct tcp_info</c>: every full socket. TIME_WAIT (and the
/// FIN_WAIT2 it shows for a closed socket waiting for the peer's FIN) and SYN_RECV entries are mini
/// sockets without one.
/// </param>
/// <param name="BytesReceived">
/// <c>tcpi_bytes_received</c>: the sequence space the peer used so far, so payload plus 1 once the peer's FIN
/// arrived (not the SYN, pure ACKs or keepalive probes); 0 without info.
/// </param>
/// <param name="Unread">
/// <c>idiag_rqueue</c>: bytes received that the app has not read yet (a request waiting in the socket, or in a
/// connection the app has not even accepted), plus 1 for a FIN it has not read; 0 for mini sockets.
/// </param>
/// <param name="Inode">
/// <c>idiag_inode</c>: the socket's inode while a process holds it; 0 before the app accepted it (and after it closed it).
/// </param>
internal readonly record struct TcpSocketSample(ulong Cookie, byte State, int LocalPort, bool HasInfo, ulong BytesReceived, uint Unread = 0, uint Inode = 0)
{
    /// <summary>
    /// True when a client is waiting for the app on this socket, so that stopping the app now would fail it: its
    /// handshake is held back (SYN_RECV: the final ACK, and the request after it, wait for room in a full accept
    /// queue), the app has not accepted the connection yet (ESTABLISHED or CLOSE_WAIT with no inode), or the
    /// socket holds request bytes the app has not read.
    /// </summary>
    public bool WaitingForApp =>
        State == InetDiag.TCP_SYN_RECV
        || (HasInfo && Inode == 0 && State is InetDiag.TCP_ESTABLISHED or InetDiag.TCP_CLOSE_WAIT)
        || UnreadPayload > 0;

    /// <summary>True in the states where the peer's FIN has arrived: it sits last in the byte counts.</summary>
    public bool PeerClosed => State is InetDiag.TCP_CLOSE_WAIT or InetDiag.TCP_LAST_ACK or InetDiag.TCP_CLOSING;

    /// <summary>Payload the app has not read: <see cref="Unread"/> without an unread FIN (last in the queue, so present whenever the queue is not empty after the peer closed).</summary>
    public uint UnreadPayload => Unread > 0 && PeerClosed ? Unread - 1 : Unread;

    /// <summary>
    /// Payload bytes received: <see cref="BytesReceived"/> without the peer's FIN, which the kernel counts as one
    /// byte (<c>tcp_rcv_nxt_update</c>) and which a socket has received in CLOSE_WAIT, LAST_ACK and CLOSING.
    /// A client closing an idle keep-alive connection is not a request.
    /// </summary>
    public ulong PayloadReceived => BytesReceived > 0 && PeerClosed ? BytesReceived - 1 : BytesReceived;
}
