using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Lameduck.Init.Tests.Support;
using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>
/// With --drain-port the lame-duck window ends once no request bytes arrived on the port for --quiet-period
/// (and --min-delay has passed), on new connections and on connections kept alive from before SIGTERM. The
/// test owns the port (a real listener, both ends of every connection) and sends the traffic; lameduck-init
/// only watches it, from another process, as it would watch the app's port in a pod.
/// </summary>
/// <remarks>
/// Times: where a bound is measured from the last request, the app is a <see cref="StopClock"/>, which notes
/// when its stop signal arrived on the test's own clock; the last request's time is taken after it was sent,
/// so "stop − last request ≥ quiet period" checked this way holds for the real moments too. Bounds counted from
/// SIGTERM (min delay, idle) use lameduck-init's log, whose clock starts when it handled SIGTERM.
/// </remarks>
[Collection(ShutdownTimingCollection.Name)]
public sealed partial class DrainTests : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private TcpListener _listener = null!;
    private readonly List<Socket> _sockets = [];

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A real listener (the app's port): 127.0.0.1, ::1, or :: (dual stack, IPv4 clients v4-mapped).</summary>
    private void Listen(string address = "127.0.0.1")
    {
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        if (address == "::") _listener.Server.DualMode = true;
        _listener.Start(backlog: 64);
    }

    /// <summary>Opens a connection and keeps both ends open (the server end accepted, as a real server would).</summary>
    private (Socket Client, Socket Server) Connect(string via = "127.0.0.1")
    {
        var client = new Socket(IPAddress.Parse(via).AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(IPAddress.Parse(via), Port));
        var server = _listener.AcceptSocket();
        _sockets.Add(client);
        _sockets.Add(server);
        return (client, server);
    }

    /// <summary>A request (18 bytes) and its answer over an open connection.</summary>
    private static void Request(Socket client, Socket server)
    {
        client.Send("GET / HTTP/1.1\r\n\r\n"u8);
        var buffer = new byte[18];
        for (int got = 0; got < buffer.Length;) got += server.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
        server.Send("HTTP/1.1 204 \r\n\r\n"u8);
        client.Receive(new byte[64]);
    }

    private SupervisedRun Start(string[] app, params string[] drain) => SupervisedRun.Init(
        ["--stop-signal", "QUIT", "--delay", "30s", "--grace-period", "60s", "--drain-port", Port.ToString(), .. drain, "--", .. app]);

    /// <summary>
    /// Asserts that the app's stop came at least the quiet period after the last request, and not much later.
    /// <paramref name="lastRequest"/> is taken just before that request is sent: no later than its bytes' arrival,
    /// which lameduck-init dates by the end of the read that sees them, never earlier. Taken after the answer instead,
    /// it ran late by the round trip (run 64: "999 ms after the last request"); and lameduck-init dated bytes at the
    /// start of its read until run 68 failed the same way (docs/TESTING.md).
    /// </summary>
    private static void AssertStoppedAQuietPeriodAfter(long lastRequest, long stoppedAt, SupervisedRun run)
    {
        var after = Stopwatch.GetElapsedTime(lastRequest, stoppedAt);
        Assert.True(after >= Quiet, $"the stop signal came {after.TotalMilliseconds:0} ms after the last request, within the 1s quiet period\n{run.StderrText}");
        // Well before the 30 s delay: the quiet period, polls 100 ms apart, and a loaded machine's slack.
        Assert.True(after < Quiet + TimeSpan.FromSeconds(2.5), $"the stop signal came {after.TotalSeconds:0.0}s after the last request\n{run.StderrText}");
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("::", "127.0.0.1")]
    public void Requests_over_one_connection_kept_alive_from_before_SIGTERM_hold_the_window_open(string listen, string via)
    {
        Listen(listen);
        var (client, server) = Connect(via); // the proxy's pooled upstream connection
        Request(client, server);
        using var app = new StopClock("QUIT");
        using var run = Start(app.Command, "--quiet-period", "1s");
        app.WaitUntilReady();

        run.Signal(SignalTable.SIGTERM);
        // The endpoint is still routed: 10 more requests 200 ms apart, all over the same connection, for 2 s. They
        // start at once, not after lameduck-init's shutdown line (its reading can lag on a loaded machine), so a
        // first one may come before lameduck-init handled SIGTERM and not be counted.
        long lastRequest = 0;
        for (int i = 0; i < 10; i++)
        {
            Thread.Sleep(200); // the traffic's own pace, not a wait for a result
            lastRequest = Stopwatch.GetTimestamp();
            Request(client, server);
        }

        AssertStoppedAQuietPeriodAfter(lastRequest, app.WaitForStop(TimeSpan.FromSeconds(60)), run);
        var stop = StopTotals().Match(run.WaitForLine(" stop: "));
        Assert.True(stop.Success && stop.Groups["port"].Value == Port.ToString(), run.StderrText);
        Assert.InRange(int.Parse(stop.Groups["bytes"].Value), 9 * 18, 10 * 18); // 18-byte requests
        Assert.Equal("1", stop.Groups["connections"].Value);
        Assert.Equal("1", stop.Groups["open"].Value);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Open_but_idle_connections_do_not_hold_the_window_open()
    {
        Listen();
        for (int i = 0; i < 3; i++)
        {
            var (client, server) = Connect();
            Request(client, server); // they carried traffic before SIGTERM, and stay open, idle
        }
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = Start(recorder.Command, "--quiet-period", "1s");
        recorder.WaitUntilReady();

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        // The quiet period from SIGTERM (= the min delay), not the 30 s delay.
        Assert.InRange(run.ElapsedMsOf("stop"), 1000, 3500);
        Assert.Contains("(after min delay 1s; 0 bytes on 0 connections since the shutdown began, 3 open)", run.WaitForLine(" stop: "));
    }

    [Fact]
    public void New_short_connections_that_carry_a_request_count()
    {
        Listen();
        using var app = new StopClock("QUIT");
        using var run = Start(app.Command, "--quiet-period", "1s");
        app.WaitUntilReady();

        run.Signal(SignalTable.SIGTERM);
        // HTTP/1.0 clients: one request per connection, the server closes after answering (TIME_WAIT on its port),
        // each over in well under a millisecond, so mostly only seen once closed.
        const int shortConnections = 6;
        long lastRequest = 0;
        for (int i = 0; i < shortConnections; i++)
        {
            Thread.Sleep(300);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(IPAddress.Loopback, Port);
            using (var server = _listener.AcceptSocket())
            {
                lastRequest = Stopwatch.GetTimestamp();
                Request(client, server);
                server.Shutdown(SocketShutdown.Both);
            }
            client.Receive(new byte[1]); // the server's FIN
        }

        AssertStoppedAQuietPeriodAfter(lastRequest, app.WaitForStop(TimeSpan.FromSeconds(60)), run);
        // Each counted, whether first seen open or only in TIME_WAIT (the first may have finished before lameduck-init
        // handled SIGTERM, and then belongs to the baseline).
        var stop = StopTotals().Match(run.WaitForLine(" stop: "));
        Assert.True(stop.Success, run.StderrText);
        Assert.InRange(int.Parse(stop.Groups["connections"].Value), shortConnections - 1, shortConnections);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_connect_and_close_without_a_byte_does_not_count()
    {
        Listen();
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = Start(recorder.Command, "--quiet-period", "1s");
        recorder.WaitUntilReady();

        var sent = Stopwatch.StartNew();
        run.Signal(SignalTable.SIGTERM);
        // A TCP health check (a kubelet tcpSocket probe, a load balancer's) every 150 ms for 4 s: connect, close.
        // The server end stays in CLOSE_WAIT until the next check (a busy server reads the EOF late), so every
        // poll sees new sockets that received a FIN (bytes_received 1) and no byte of payload.
        int checks = 0;
        Socket? closing = null;
        while (sent.Elapsed < TimeSpan.FromSeconds(4) && !recorder.Received.Contains("QUIT"))
        {
            using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                client.Connect(IPAddress.Loopback, Port);
                closing?.Dispose();
                closing = _listener.AcceptSocket();
                _sockets.Add(closing);
            }
            checks++;
            Thread.Sleep(150);
        }
        recorder.WaitFor("QUIT", TimeSpan.FromSeconds(60));

        // Ended a quiet period after SIGTERM while the checks went on (counting them would hold it to ~5 s).
        Assert.InRange(run.ElapsedMsOf("stop"), 1000, 3000);
        Assert.True(checks >= 5, $"only {checks} checks ran before the stop");
        Assert.Contains("0 bytes on 0 connections since the shutdown began", run.WaitForLine(" stop: "));
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_request_the_app_has_not_read_yet_holds_the_window_open()
    {
        Listen();
        var (client, server) = Connect();
        using var app = new StopClock("QUIT");
        using var run = Start(app.Command, "--quiet-period", "1s");
        app.WaitUntilReady();
        client.Send("GET / HTTP/1.1\r\n\r\n"u8); // just before SIGTERM; the app is busy and reads it only 2.5 s later

        run.Signal(SignalTable.SIGTERM);
        Thread.Sleep(2500);
        long read = Stopwatch.GetTimestamp();
        server.Receive(new byte[18]);

        // Stopping the app before it read the request would lose the request; after, the quiet period has long passed.
        var stoppedAt = app.WaitForStop(TimeSpan.FromSeconds(60));
        Assert.True(stoppedAt > read, $"the app was stopped {Stopwatch.GetElapsedTime(stoppedAt, read).TotalMilliseconds:0} ms before it read the request\n{run.StderrText}");
        Assert.True(Stopwatch.GetElapsedTime(read, stoppedAt) < TimeSpan.FromSeconds(2.5), run.StderrText);
        Assert.Contains("(after min delay 1s; 0 bytes on 0 connections since the shutdown began, 1 open)", run.WaitForLine(" stop: "));
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_min_delay_holds_the_window_open_when_nothing_arrives(bool fromVariable)
    {
        Listen();
        Connect();
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = fromVariable
            ? SupervisedRun.Init(["--stop-signal", "QUIT", "--delay", "30s", "--grace-period", "60s", "--", .. recorder.Command],
                new Dictionary<string, string> { ["LAMEDUCK_DRAIN_PORT"] = Port.ToString(), ["LAMEDUCK_QUIET_PERIOD"] = "500ms", ["LAMEDUCK_MIN_DELAY"] = "3s" })
            : Start(recorder.Command, "--quiet-period", "500ms", "--min-delay", "3s");
        recorder.WaitUntilReady();
        Assert.Contains($"(drain port {Port}: quiet period 500ms, min delay 3s)", run.WaitForLine(" start: "));

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.InRange(run.ElapsedMsOf("stop"), 3000, 6000); // the min delay, not the 500 ms quiet period nor the 30 s delay
        Assert.Contains("had no request bytes for 500ms (after min delay 3s; 0 bytes on 0 connections since the shutdown began, 1 open)", run.WaitForLine(" stop: "));
    }

    [Fact]
    public void It_works_as_an_unprivileged_user()
    {
        Listen();
        var (client, server) = Connect();
        // nobody:nogroup, no supplementary groups, no capabilities: sock_diag dumps of its own network namespace are open to everyone.
        using var app = new StopClock("TERM");
        using var run = SupervisedRun.Start("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", InitBinary.Path,
            "--delay", "30s", "--grace-period", "60s", "--drain-port", Port.ToString(), "--quiet-period", "1s", "--", .. app.Command]);
        app.WaitUntilReady();
        run.WaitForLine(" start: ");
        Assert.Contains("Uid:\t65534\t65534\t65534\t65534", File.ReadAllText($"/proc/{run.Pid}/status"));
        Assert.DoesNotContain("warning", run.StderrText);

        run.Signal(SignalTable.SIGTERM);
        long lastRequest = 0;
        for (int i = 0; i < 8; i++)
        {
            Thread.Sleep(200);
            lastRequest = Stopwatch.GetTimestamp();
            Request(client, server);
        }

        AssertStoppedAQuietPeriodAfter(lastRequest, app.WaitForStop(TimeSpan.FromSeconds(60)), run);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        var stop = StopTotals().Match(run.WaitForLine(" stop: "));
        Assert.True(stop.Success, run.StderrText);
        Assert.InRange(int.Parse(stop.Groups["bytes"].Value), 7 * 18, 8 * 18);
    }

    [Fact]
    public void Without_sock_diag_the_window_lasts_the_full_delay_and_says_so_once()
    {
        Listen();
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var run = SupervisedRun.Start(NoSockDiag.Path, [InitBinary.Path,
            "--stop-signal", "QUIT", "--delay", "2500ms", "--grace-period", "60s", "--drain-port", Port.ToString(), "--quiet-period", "200ms", "--", .. recorder.Command]);
        recorder.WaitUntilReady();
        Assert.Contains($"(drain port {Port}: quiet period 200ms, min delay 1s, not watched)", run.WaitForLine(" start: "));

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.InRange(run.ElapsedMsOf("stop"), 2500, 20_000); // nothing arrived, yet no early end on a guess
        var warnings = run.Stderr.Where(l => l.Contains(" warning: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"lameduck-init [running] warning: cannot watch request bytes on port {Port}: socket(AF_NETLINK, NETLINK_SOCK_DIAG) failed: " +
             "Address family not supported by protocol; the lame-duck window will last the full --delay 2.5s"],
            warnings);
        Assert.Contains($"keeps serving for up to 2.5s (the full delay: port {Port}'s traffic cannot be watched)", run.WaitForLine(" shutdown: "));
        Assert.Contains("stop: delay 2.5s over;", run.WaitForLine(" stop: "));
    }

    [GeneratedRegex(@"stop: port (?<port>\d+) had no request bytes for 1s \(after min delay 1s; (?<bytes>\d+) bytes on (?<connections>\d+) connections? since the shutdown began(?: \(\d+ seen only once closed, their bytes unknown\))?, (?<open>\d+) open\)")]
    private static partial Regex StopTotals();

    public void Dispose()
    {
        foreach (var socket in _sockets) socket.Dispose();
        _listener?.Stop();
    }
}
