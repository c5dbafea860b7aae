using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>What the scripted server does with one request.</summary>
public enum Reply
{
    /// <summary>Answer with the status the script gives.</summary>
    Status,
    /// <summary>Abort the connection with a TCP RST (SO_LINGER 0) instead of answering.</summary>
    Reset,
    /// <summary>Close the connection (FIN) without answering.</summary>
    Close,
    /// <summary>Never answer; keep the connection open.</summary>
    Hang,
    /// <summary>Send the head and 5 of the 12 body bytes, then abort with a TCP RST.</summary>
    PartialThenReset,
    /// <summary>Send the head and 5 of the 12 body bytes, then close (FIN).</summary>
    PartialThenClose,
    /// <summary>Answer with the status the script gives (keep-alive, no Connection: close), then close the idle connection (FIN).</summary>
    StatusThenClose,
}

/// <summary>
/// An HTTP/1.1 server on raw sockets (127.0.0.1, free port) whose every answer is decided by a script from the
/// request's arrival number, so a test knows exactly what the client must have seen. It counts what it did
/// itself ("200", "503", "reset", "close", "hang"); those counts are the truth the client's report is checked against.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<long, int, (Reply Reply, int Status)> _script;
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private long _arrivals;
    private long _connections;

    /// <param name="script">(arrival number from 1, request number on its connection from 1) → what to do.</param>
    public ScriptedHttpServer(Func<long, int, (Reply Reply, int Status)> script)
    {
        _script = script;
        _listener.Start(1024);
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The server's address.</summary>
    public Uri Url { get; }

    /// <summary>Requests fully received.</summary>
    public long Arrivals => Interlocked.Read(ref _arrivals);

    /// <summary>Connections accepted.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>How many times the server did <paramref name="what"/> ("200", "503", "reset", "close", "hang").</summary>
    public long Count(string what) => _counts.GetValueOrDefault(what);

    /// <summary>All counts.</summary>
    public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long>(_counts);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _sockets.Add(socket);
                _ = Task.Run(() => ServeAsync(socket));
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = new byte[8192];
        int filled = 0;
        int onConnection = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (read == 0) { socket.Dispose(); return; }
                    filled += read;
                }
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var consumed = end + HeaderEnd.Length + ContentLength(head);
                while (filled < consumed)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (read == 0) { socket.Dispose(); return; }
                    filled += read;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;

                var arrival = Interlocked.Increment(ref _arrivals);
                var (reply, status) = _script(arrival, ++onConnection);
                switch (reply)
                {
                    case Reply.Reset:
                        Add("reset");
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                        return;
                    case Reply.Close:
                        Add("close");
                        socket.Shutdown(SocketShutdown.Both);
                        socket.Close();
                        return;
                    case Reply.Hang:
                        Add("hang");
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    case Reply.PartialThenReset:
                    case Reply.PartialThenClose:
                        Add(reply == Reply.PartialThenReset ? "partial reset" : "partial close");
                        await socket.SendAsync("HTTP/1.1 200 Scripted\r\nContent-Length: 12\r\n\r\nhello"u8.ToArray(), SocketFlags.None, _stop.Token);
                        // Let the client read the partial answer before the connection goes away.
                        await Task.Delay(50, _stop.Token);
                        if (reply == Reply.PartialThenReset) socket.LingerState = new LingerOption(true, 0);
                        else socket.Shutdown(SocketShutdown.Both);
                        socket.Close();
                        return;
                }
                var close = head.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase);
                if (close) Add("asked to close");
                var response = $"HTTP/1.1 {status} Scripted\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n{(close ? "Connection: close\r\n" : "")}\r\nhello world\n";
                Add(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None, _stop.Token);
                if (close || reply == Reply.StatusThenClose)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    socket.Close();
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            socket.Dispose();
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    private void Add(string what) => _counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets) socket.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }
}
