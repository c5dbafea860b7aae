using System.Net;
using System.Net.Sockets;
using Lameduck.Init.Drain;

namespace Lameduck.Init.Tests.Drain;

/// <summary>
/// What counts as traffic on a port, read from this machine's kernel through sock_diag with real loopback
/// connections. Each test looks (<see cref="PortTraffic.Poll"/>) before and after one thing happens, so it is
/// exact and does not depend on timing.
/// </summary>
public sealed class PortTrafficTests : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private TcpListener _listener = null!;
    private PortTraffic _traffic = null!;

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private void Listen(string address = "127.0.0.1")
    {
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        if (address == "::") _listener.Server.DualMode = true;
        _listener.Start(backlog: 64);
        _traffic = PortTraffic.Open(Port);
    }

    /// <summary>A connection kept open on both ends; <paramref name="via"/> is the address the client dials.</summary>
    private (Socket Client, Socket Server) Connect(string via = "127.0.0.1")
    {
        var client = new Socket(IPAddress.Parse(via).AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(IPAddress.Parse(via), Port));
        var server = _listener.AcceptSocket();
        _sockets.Add(client);
        _sockets.Add(server);
        return (client, server);
    }

    private static void Request(Socket client, Socket server, int bytes = 18)
    {
        client.Send(new byte[bytes]);
        var buffer = new byte[bytes];
        for (int got = 0; got < bytes;) got += server.Receive(buffer, got, bytes - got, SocketFlags.None);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("::", "127.0.0.1")] // a dual-stack listener: IPv4 clients show up in the AF_INET6 dump, v4-mapped
    public void A_request_on_a_connection_open_before_the_start_is_traffic(string listen, string via)
    {
        Listen(listen);
        var (client, server) = Connect(via);
        Request(client, server, 100); // before the shutdown: not counted
        _traffic.Start();
        Assert.False(_traffic.Poll());

        Request(client, server, 18);

        Assert.True(_traffic.Poll());
        Assert.Equal(18ul, _traffic.BytesReceived);
        Assert.Equal(1, _traffic.Connections);
        Assert.Equal(1, _traffic.OpenConnections);
        Assert.False(_traffic.Poll()); // nothing since
    }

    [Fact]
    public void Without_a_listener_on_the_port_both_families_are_read()
    {
        Listen("::1");
        var (client, server) = Connect("::1");
        _listener.Stop(); // e.g. the port is served by a container whose listener lameduck-init cannot see: no listener at all
        _traffic.Start();

        Request(client, server, 18);

        Assert.True(_traffic.Poll());
        Assert.Equal(18ul, _traffic.BytesReceived);
    }

    [Fact]
    public void Idle_connections_and_keepalive_probes_are_not_traffic()
    {
        Listen();
        var connections = Enumerable.Range(0, 3).Select(_ => Connect()).ToList();
        foreach (var (client, server) in connections)
        {
            Request(client, server);
            // TCP keepalive from both ends every second once idle: segments with no payload.
            foreach (var socket in new[] { client, server })
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 1);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 1);
            }
        }
        _traffic.Start();
        var segmentsBefore = SegmentsIn(connections[0].Server);

        // Until probes have flowed (the kernel's own count of segments received grows), polling all the while.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (SegmentsIn(connections[0].Server) < segmentsBefore + 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "no keepalive probe arrived within 30 s");
            Assert.False(_traffic.Poll());
            Thread.Sleep(50);
        }

        Assert.False(_traffic.Poll());
        Assert.Equal(0ul, _traffic.BytesReceived);
        Assert.Equal(3, _traffic.OpenConnections);
    }

    [Fact]
    public void A_new_connection_that_carries_a_request_is_traffic()
    {
        Listen();
        _traffic.Start();

        var (client, server) = Connect();
        Request(client, server, 40);

        Assert.True(_traffic.Poll());
        Assert.Equal(40ul, _traffic.BytesReceived);
    }

    [Fact]
    public void A_short_connection_that_closed_before_it_was_seen_is_traffic_by_its_TIME_WAIT()
    {
        Listen();
        _traffic.Start();

        // HTTP/1.0 or Connection: close: request, answer, the server closes first.
        var (client, server) = Connect();
        Request(client, server);
        server.Close();
        Assert.Equal(0, client.Receive(new byte[1])); // the server's FIN
        client.Close();

        Assert.True(_traffic.Poll());
        Assert.Equal(1, _traffic.ClosedOnArrival);
        Assert.Equal(1, _traffic.Connections);
    }

    [Fact]
    public void A_connect_and_close_without_a_byte_is_not_traffic()
    {
        Listen();
        _traffic.Start();

        // A TCP health check: connect, close. The server side sits in CLOSE_WAIT (bytes_received 1: the FIN) ...
        var (client, server) = Connect();
        client.Close();
        Assert.Equal(0, server.Receive(new byte[1]));
        Assert.False(_traffic.Poll());

        // ... and, once the server closes too, is gone.
        server.Close();
        Assert.False(_traffic.Poll());
        Assert.Equal(0, _traffic.Connections);
    }

    [Fact]
    public void A_client_closing_an_idle_kept_alive_connection_is_not_traffic()
    {
        Listen();
        var (client, server) = Connect();
        Request(client, server);
        _traffic.Start();

        client.Close(); // e.g. the proxy's pool closing an idle upstream connection after the endpoint left
        Assert.Equal(0, server.Receive(new byte[1]));

        Assert.False(_traffic.Poll());
    }

    [Fact]
    public void A_request_the_app_has_not_read_is_waiting_until_it_reads_it()
    {
        Listen();
        var (client, server) = Connect();
        _traffic.Start();

        client.Send(new byte[18]);
        Assert.True(_traffic.Poll());
        Assert.Equal(1, _traffic.Waiting);

        server.Receive(new byte[18]);
        Assert.False(_traffic.Poll());
        Assert.Equal(0, _traffic.Waiting);
    }

    [Fact]
    public void A_connection_the_app_has_not_accepted_is_waiting_until_it_does()
    {
        Listen();
        _traffic.Start();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, Port); // in the listener's accept queue: the app is behind
        Assert.False(_traffic.Poll());             // no byte yet: not traffic, but a client waits for the app
        Assert.Equal(1, _traffic.Waiting);

        client.Send(new byte[18]);
        client.Shutdown(SocketShutdown.Send);      // a client that closes its side after the request (FIN unread too)
        Assert.True(_traffic.Poll());
        Assert.Equal(1, _traffic.Waiting);

        using var server = _listener.AcceptSocket();
        Assert.False(_traffic.Poll());
        Assert.Equal(1, _traffic.Waiting);         // accepted, request not read
        server.Receive(new byte[18]);
        Assert.False(_traffic.Poll());
        Assert.Equal(0, _traffic.Waiting);         // only the FIN is left unread: no request
    }

    [Fact]
    public void A_known_connection_closed_by_the_server_is_not_traffic_again()
    {
        Listen();
        var (client, server) = Connect();
        Request(client, server);
        _traffic.Start();

        server.Close(); // e.g. the app's keep-alive timeout: it goes to TIME_WAIT, keeping its cookie
        Assert.Equal(0, client.Receive(new byte[1]));
        client.Close();

        Assert.False(_traffic.Poll());
        Assert.Equal(0, _traffic.ClosedOnArrival);
    }

    /// <summary>tcpi_segs_in of the socket (getsockopt TCP_INFO): every segment it received, payload or not.</summary>
    private static uint SegmentsIn(Socket socket)
    {
        var buffer = new byte[256];
        int length = socket.GetRawSocketOption(6 /* IPPROTO_TCP */, 11 /* TCP_INFO */, buffer);
        Assert.True(length >= 144, $"tcp_info of {length} bytes");
        return BitConverter.ToUInt32(buffer, 140); // tcpi_segs_in
    }

    public void Dispose()
    {
        foreach (var socket in _sockets) socket.Dispose();
        _listener?.Stop();
        _traffic?.Dispose();
    }
}
