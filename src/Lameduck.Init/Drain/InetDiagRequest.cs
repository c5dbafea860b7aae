using System.Runtime.InteropServices;

namespace Lameduck.Init.Drain;

/// <summary>
/// Builds the sock_diag dump request that <c>ss -ti state all sport = :PORT</c> sends (minus LISTEN):
/// every TCP socket of one address family whose local port is PORT, each with its <c>struct tcp_info</c>.
/// </summary>
/// <remarks>
/// The port is filtered in the kernel by an <c>INET_DIAG_REQ_BYTECODE</c> program (one <c>S_COND</c> op,
/// any address, port PORT), as ss does: the kernel then fills tcp_info (the expensive part, under the
/// socket's lock) only for the port's sockets, and a pod with thousands of other sockets (a sidecar's,
/// outgoing connections to databases) costs no copy of theirs. Numbers are in host byte order except the
/// sockid's, which the request leaves zero (a dump ignores it).
/// </remarks>
internal static class InetDiagRequest
{
    /// <summary>Size of the request: nlmsghdr, inet_diag_req_v2, and the bytecode attribute.</summary>
    public const int Size = InetDiag.NlMsgHeaderSize + InetDiag.RequestSize + BytecodeAttributeSize;

    private const int BytecodeSize = InetDiag.BytecodeOpSize + InetDiag.HostCondSize;
    private const int BytecodeAttributeSize = InetDiag.NlAttrHeaderSize + BytecodeSize;

    /// <summary>
    /// Writes the request for <paramref name="family"/> (AF_INET or AF_INET6) and <paramref name="localPort"/> into
    /// <paramref name="buffer"/>; <paramref name="states"/> is a mask of (1 &lt;&lt; TCP state), every state but LISTEN by default.
    /// </summary>
    /// <example><c>InetDiagRequest.Write(buffer, InetDiag.AF_INET6, 8080, sequence: 7)</c></example>
    public static void Write(Span<byte> buffer, byte family, int localPort, uint sequence, uint states = InetDiag.EveryStateButListen)
    {
        var b = buffer[..Size];
        b.Clear();

        // nlmsghdr: a dump request to the kernel (port id 0).
        Put(b, 0, (uint)Size);
        Put(b, 4, InetDiag.SOCK_DIAG_BY_FAMILY);
        Put(b, 6, (ushort)(InetDiag.NLM_F_REQUEST | InetDiag.NLM_F_DUMP));
        Put(b, 8, sequence);

        // inet_diag_req_v2: TCP sockets of this family in the states asked for, with INET_DIAG_INFO.
        var request = b.Slice(InetDiag.NlMsgHeaderSize, InetDiag.RequestSize);
        request[0] = family;
        request[1] = InetDiag.IPPROTO_TCP;
        request[2] = 1 << (InetDiag.INET_DIAG_INFO - 1); // idiag_ext: the extensions wanted, as bit (type - 1)
        Put(request, 4, states);

        // INET_DIAG_REQ_BYTECODE: S_COND { any family, prefix 0, port } -- on a match jump to the end
        // (accept), else 4 bytes past it (reject), which is how the kernel's audit wants a failed test to end.
        var attribute = b[(InetDiag.NlMsgHeaderSize + InetDiag.RequestSize)..];
        Put(attribute, 0, (ushort)BytecodeAttributeSize);
        Put(attribute, 2, InetDiag.INET_DIAG_REQ_BYTECODE);
        var op = attribute[InetDiag.NlAttrHeaderSize..];
        op[0] = InetDiag.INET_DIAG_BC_S_COND;
        op[1] = BytecodeSize;                       // yes
        Put(op, 2, (ushort)(BytecodeSize + 4));     // no
        // hostcond: family 0 (AF_UNSPEC: any address), prefix_len 0, 2 bytes padding, then the port.
        Put(op, InetDiag.BytecodeOpSize + 4, localPort);
    }

    private static void Put<T>(Span<byte> span, int offset, T value) where T : unmanaged =>
        MemoryMarshal.Write(span[offset..], in value); // host byte order, as the kernel reads these fields
}
