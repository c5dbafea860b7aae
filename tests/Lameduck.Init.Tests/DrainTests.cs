using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>With --drain-port the lame-duck window ends once the port has had no new connection for --quiet-period.</summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class DrainTests : IDisposable
{
    private TcpListener _listener = null!;
    private readonly List<Socket> _sockets = [];

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A real listener (the app's port) on 127.0.0.1 (read from /proc/net/tcp) or ::1 (/proc/net/tcp6).</summary>
    private void Listen(string address)
    {
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        _listener.Start(backlog: 64);
    }

    /// <summary>Opens a connection and keeps both ends open (the server end is accepted, as a real server would).</summary>
    private void Connect()
    {
        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(endpoint);
        _sockets.Add(client);
        _sockets.Add(_listener.AcceptSocket());
    }

    /// <summary>A whole short connection, closed by the server first (HTTP/1.0, Connection: close): it leaves TIME_WAIT on the port.</summary>
    private void ConnectAndClose()
    {
        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        using var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(endpoint);
        using (var server = _listener.AcceptSocket()) server.Shutdown(SocketShutdown.Both);
        client.Receive(new byte[1]); // the server's FIN
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void The_window_ends_a_quiet_period_after_the_last_new_connection(string address)
    {
        Listen(address);
        var quiet = TimeSpan.FromSeconds(1);
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(
            ["--stop-signal", "QUIT", "--delay", "30s", "--drain-port", Port.ToString(), "--quiet-period", "1s", "--grace-period", "60s",
             "--", .. recorder.Command]);
        recorder.WaitUntilReady();
        for (int i = 0; i < 3; i++) Connect(); // open keep-alive connections: they are not new, they must not hold the window open

        var sent = Stopwatch.StartNew();
        run.Signal(SignalTable.SIGTERM);
        run.WaitForLine(" shutdown: ");
        // Traffic still arrives after SIGTERM (endpoints not yet removed everywhere): 8 new connections 200 ms apart.
        const int lateConnections = 8;
        var lastConnection = TimeSpan.Zero;
        for (int i = 0; i < lateConnections; i++)
        {
            if (i > 0) Thread.Sleep(200); // the traffic's own pace, not a wait for a result
            Connect();
            lastConnection = sent.Elapsed;
        }
        recorder.WaitFor("QUIT", TimeSpan.FromSeconds(60));
        var stopSeen = sent.Elapsed;

        Assert.True(stopSeen - lastConnection >= quiet,
            $"QUIT came {(stopSeen - lastConnection).TotalMilliseconds:0} ms after the last new connection, within the 1s quiet period");
        Assert.True(stopSeen < TimeSpan.FromSeconds(20), $"the window did not end early: QUIT came {stopSeen.TotalSeconds:0.0}s after TERM (delay 30s)");
        var stop = run.WaitForLine(" stop: ");
        Assert.Contains($"port {Port} quiet for 1s ({lateConnections} new connections since the shutdown began, {3 + lateConnections} open)", stop);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Connections_that_closed_between_two_reads_still_count_as_new()
    {
        Listen("127.0.0.1");
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(
            ["--stop-signal", "QUIT", "--delay", "30s", "--drain-port", Port.ToString(), "--quiet-period", "1s", "--grace-period", "60s",
             "--", .. recorder.Command]);
        recorder.WaitUntilReady();

        var sent = Stopwatch.StartNew();
        run.Signal(SignalTable.SIGTERM);
        run.WaitForLine(" shutdown: ");
        const int shortConnections = 6;
        var lastConnection = TimeSpan.Zero;
        for (int i = 0; i < shortConnections; i++)
        {
            if (i > 0) Thread.Sleep(300);
            ConnectAndClose(); // over in well under a millisecond: only its TIME_WAIT line can be seen
            lastConnection = sent.Elapsed;
        }
        recorder.WaitFor("QUIT", TimeSpan.FromSeconds(60));

        Assert.True(sent.Elapsed - lastConnection >= TimeSpan.FromSeconds(1), "QUIT came within the quiet period after the last short connection");
        Assert.Contains($"({shortConnections} new connections since the shutdown began, 0 open)", run.WaitForLine(" stop: "));
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Without_new_connections_the_window_ends_after_the_quiet_period()
    {
        Listen("127.0.0.1");
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Init(
            ["--stop-signal", "QUIT", "--delay", "30s", "--grace-period", "60s", "--", .. recorder.Command],
            new Dictionary<string, string> { ["LAMEDUCK_DRAIN_PORT"] = Port.ToString(), ["LAMEDUCK_QUIET_PERIOD"] = "500ms" });
        recorder.WaitUntilReady();
        Connect();

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.InRange(run.ElapsedMsOf("stop"), 500, 20_000);
        Assert.Contains("(0 new connections since the shutdown began, 1 open)", run.WaitForLine(" stop: "));
    }

    public void Dispose()
    {
        foreach (var socket in _sockets) socket.Dispose();
        _listener?.Stop();
    }
}
