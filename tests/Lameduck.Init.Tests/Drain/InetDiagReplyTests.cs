using Lameduck.Init.Drain;
using Lameduck.Testing;

namespace Lameduck.Init.Tests.Drain;

/// <summary>
/// Parsing real sock_diag replies, captured from this machine's kernel (6.18) by Fixtures/capture-sock-diag.py
/// into Fixtures/sock-diag-dump.txt, which also holds what <c>ss -tinae</c> showed for the same sockets: the
/// expected values below are ss's (cookie = ss's <c>sk:</c>, bytes_received), not this parser's own output.
/// </summary>
public sealed class InetDiagReplyTests
{
    private const uint Sequence = 42; // the capture's request

    private static readonly Dictionary<string, List<byte[]>> Captures = Load();

    [Fact]
    public void An_IPv4_dump_gives_each_socket_on_the_port_with_its_cookie_state_and_bytes_received()
    {
        var sockets = ParseAll("ipv4");

        // ss: TIME-WAIT sk:c ino:0; ESTAB sk:d ino:1556495 bytes_received:28; CLOSE-WAIT sk:e ino:1556501 Recv-Q 1
        // bytes_received:8; ESTAB sk:f ino:1556497 (idle, none).
        Assert.Equal(
            [
                new TcpSocketSample(0xc, InetDiag.TCP_TIME_WAIT, 39065, HasInfo: false, 0),
                new TcpSocketSample(0xd, InetDiag.TCP_ESTABLISHED, 39065, HasInfo: true, 28, Inode: 1556495),
                new TcpSocketSample(0xe, InetDiag.TCP_CLOSE_WAIT, 39065, HasInfo: true, 8, Unread: 1, Inode: 1556501),
                new TcpSocketSample(0xf, InetDiag.TCP_ESTABLISHED, 39065, HasInfo: true, 0, Inode: 1556497),
            ],
            sockets.OrderBy(s => s.Cookie));
    }

    [Fact]
    public void An_IPv6_dump_parses_the_same_way()
    {
        var sockets = ParseAll("ipv6");

        // ss: ESTAB sk:11 ino:1556513 (idle); CLOSE-WAIT sk:12 ino:1556517 Recv-Q 1 bytes_received:8; TIME-WAIT sk:13;
        // ESTAB sk:14 ino:1556511 bytes_received:28.
        Assert.Equal(
            [
                new TcpSocketSample(0x11, InetDiag.TCP_ESTABLISHED, 34371, HasInfo: true, 0, Inode: 1556513),
                new TcpSocketSample(0x12, InetDiag.TCP_CLOSE_WAIT, 34371, HasInfo: true, 8, Unread: 1, Inode: 1556517),
                new TcpSocketSample(0x13, InetDiag.TCP_TIME_WAIT, 34371, HasInfo: false, 0),
                new TcpSocketSample(0x14, InetDiag.TCP_ESTABLISHED, 34371, HasInfo: true, 28, Inode: 1556511),
            ],
            sockets.OrderBy(s => s.Cookie));
    }

    [Fact]
    public void The_peers_FIN_is_not_payload()
    {
        // The client of the CLOSE_WAIT connection sent "GET /d\n" (7 bytes), which the server read, and closed:
        // the kernel counts 8 bytes received, 1 unread (ss: Recv-Q 1).
        var closeWait = ParseAll("ipv4").Single(s => s.State == InetDiag.TCP_CLOSE_WAIT);
        Assert.Equal(8ul, closeWait.BytesReceived);
        Assert.Equal(7ul, closeWait.PayloadReceived);
        Assert.Equal(1u, closeWait.Unread);
        Assert.Equal(0u, closeWait.UnreadPayload);
        Assert.False(closeWait.WaitingForApp); // accepted (it has an inode), its request read
        Assert.Equal(28ul, ParseAll("ipv4").Single(s => s.Cookie == 0xd).PayloadReceived);
    }

    [Fact]
    public void The_kernels_error_reply_becomes_a_message()
    {
        var error = Assert.Throws<SockDiagException>(() => InetDiagReply.Parse(Captures["error"][0], 43, []));
        Assert.Equal("the kernel refused the dump: Invalid argument", error.Message);
    }

    [Fact]
    public void Messages_of_another_request_are_skipped()
    {
        var sockets = new List<TcpSocketSample>();
        Assert.False(InetDiagReply.Parse(Captures["ipv4"][0], Sequence + 1, sockets));
        Assert.Empty(sockets);
    }

    [Fact]
    public void A_cut_datagram_is_an_error_not_a_crash()
    {
        var datagram = Captures["ipv4"][0];
        var error = Assert.Throws<SockDiagException>(() => InetDiagReply.Parse(datagram.AsSpan(0, datagram.Length - 20), Sequence, []));
        Assert.StartsWith("malformed netlink reply", error.Message);
    }

    private static List<TcpSocketSample> ParseAll(string capture)
    {
        var sockets = new List<TcpSocketSample>();
        bool done = false;
        foreach (var datagram in Captures[capture])
        {
            Assert.False(done, "a datagram after NLMSG_DONE");
            done = InetDiagReply.Parse(datagram, Sequence, sockets);
        }
        Assert.True(done, "no NLMSG_DONE in the capture");
        return sockets;
    }

    // "# ipv4 port N" / "# ipv6 port N" / "# error reply ..." headers, each followed by hex datagrams; other "#" lines are notes.
    private static Dictionary<string, List<byte[]>> Load()
    {
        var captures = new Dictionary<string, List<byte[]>>();
        List<byte[]>? current = null;
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "tests", "Lameduck.Init.Tests", "Drain", "Fixtures", "sock-diag-dump.txt")))
        {
            if (line.StartsWith("# ipv4 port", StringComparison.Ordinal)) captures["ipv4"] = current = [];
            else if (line.StartsWith("# ipv6 port", StringComparison.Ordinal)) captures["ipv6"] = current = [];
            else if (line.StartsWith("# error reply", StringComparison.Ordinal)) captures["error"] = current = [];
            else if (line.StartsWith('#')) current = null;
            else if (current is not null && line.Length > 0) current.Add(Convert.FromHexString(line.Trim()));
        }
        return captures;
    }
}
