using Lameduck.Init.Drain;

namespace Lameduck.Init.Tests;

/// <summary>Parsing of the kernel's /proc/net/tcp and /proc/net/tcp6 lines (format from proc(5), sample lines from this kernel).</summary>
public sealed class TcpTableTests
{
    // Port 8080 = 0x1F90. Lines: LISTEN, ESTABLISHED, SYN_RECV, TIME_WAIT on 8080; ESTABLISHED client side (local port 0xC350).
    private const string Tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0
           1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 41240 1 0000000000000000 20 4 30 10 -1
           2: 0100007F:1F90 0100007F:C351 03 00000000:00000000 02:00000064 00000000     0        0 0 2 0000000000000000
           3: 0100007F:1F90 0100007F:C352 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
           4: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 41239 1 0000000000000000 20 4 30 10 -1
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51234 1 0000000000000000 100 0 0 10 0
           1: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D431 01 00000000:00000000 00:00000000 00000000     0        0 51240 1 0000000000000000 20 4 30 10 -1
        """;

    [Fact]
    public void Counts_every_non_listening_connection_on_the_local_port_and_the_established_ones()
    {
        var keys = new HashSet<string>();
        Assert.Equal(1, TcpTable.Parse(Tcp, 8080, keys));
        Assert.Equal(
            ["0100007F:1F90 0100007F:C350", "0100007F:1F90 0100007F:C351", "0100007F:1F90 0100007F:C352"],
            keys.Order());
    }

    [Fact]
    public void Reads_IPv6_lines_too()
    {
        var keys = new HashSet<string>();
        Assert.Equal(1, TcpTable.Parse(Tcp6, 8080, keys));
        Assert.Single(keys);
    }

    [Fact]
    public void Other_ports_are_ignored()
    {
        var keys = new HashSet<string>();
        Assert.Equal(0, TcpTable.Parse(Tcp, 9090, keys));
        Assert.Empty(keys);
    }
}
