using System.Net;
using System.Net.Sockets;
using Lameduck.Init.Drain;

namespace Lameduck.Init.Tests.Drain;

/// <summary>The dump request against this machine's kernel: accepted, filtered to the port by the kernel, both families.</summary>
public sealed class SockDiagSocketTests
{
    [Fact]
    public void The_kernel_returns_only_the_sockets_on_the_port_and_no_listener()
    {
        using var watched = Listener(IPAddress.Loopback);
        using var other = Listener(IPAddress.Loopback);
        using var a = Pair(watched);
        using var b = Pair(watched);
        using var c = Pair(other); // another port, busy: must not be in the dump at all
        c.Client.Send(new byte[10]);

        var sockets = new List<TcpSocketSample>();
        using (var diag = SockDiagSocket.Open()) diag.Dump(InetDiag.AF_INET, Port(watched), sockets);

        Assert.Equal(2, sockets.Count); // the two server ends; not the listener, not the clients (their local ports differ)
        Assert.All(sockets, s => Assert.Equal(Port(watched), s.LocalPort));
        Assert.All(sockets, s => Assert.Equal(InetDiag.TCP_ESTABLISHED, s.State));
        Assert.All(sockets, s => Assert.True(s.HasInfo));
        Assert.Equal(2, sockets.Select(s => s.Cookie).Distinct().Count());
    }

    [Fact]
    public void IPv6_sockets_and_IPv4_clients_of_a_dual_stack_listener_are_in_the_AF_INET6_dump()
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        using var v6 = Pair(listener, IPAddress.IPv6Loopback);
        using var v4 = Pair(listener, IPAddress.Loopback);
        v4.Client.Send(new byte[5]);
        v4.Server.Receive(new byte[5]);

        var inet = new List<TcpSocketSample>();
        var inet6 = new List<TcpSocketSample>();
        using (var diag = SockDiagSocket.Open())
        {
            diag.Dump(InetDiag.AF_INET, Port(listener), inet);
            diag.Dump(InetDiag.AF_INET6, Port(listener), inet6);
        }

        Assert.Empty(inet);
        Assert.Equal(2, inet6.Count);
        Assert.Equal([0ul, 5ul], inet6.Select(s => s.BytesReceived).Order());
    }

    [Fact]
    public void Many_sockets_come_back_over_several_datagrams_each_once()
    {
        using var watched = Listener(IPAddress.Loopback);
        var pairs = Enumerable.Range(0, 400).Select(_ => Pair(watched)).ToList(); // ~400 x 300 bytes: several 32 KiB datagrams
        try
        {
            var sockets = new List<TcpSocketSample>();
            using (var diag = SockDiagSocket.Open()) diag.Dump(InetDiag.AF_INET, Port(watched), sockets);
            Assert.Equal(400, sockets.Select(s => s.Cookie).Distinct().Count());
            Assert.Equal(400, sockets.Count);
        }
        finally
        {
            foreach (var pair in pairs) pair.Dispose();
        }
    }

    private sealed record Connection(Socket Client, Socket Server) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static TcpListener Listener(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start(backlog: 512);
        return listener; // Dispose stops it
    }

    private static Connection Pair(TcpListener listener, IPAddress? via = null)
    {
        var address = via ?? ((IPEndPoint)listener.LocalEndpoint).Address;
        var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(address, Port(listener)));
        return new Connection(client, listener.AcceptSocket());
    }
}
