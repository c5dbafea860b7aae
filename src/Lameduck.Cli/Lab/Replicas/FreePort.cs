using System.Net;
using System.Net.Sockets;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>Free loopback TCP ports: asks the kernel for one (bind to port 0) and releases it for a child to bind.</summary>
public static class FreePort
{
    // The kernel may give the port it just gave (and that this process released unbound) to the next bind to port 0:
    // two surge pods started together got the same port, and the one that lost the bind crashed (a full test run,
    // 2026-12-05). Ports handed out recently are never handed out again; 4,096 is hundreds of labs' worth.
    private const int Remembered = 4096;
    private static readonly Queue<int> RecentOrder = new();
    private static readonly HashSet<int> Recent = [];
    private static readonly Lock Gate = new();

    /// <summary>A port on 127.0.0.1 that was free a moment ago and that this process has not handed out recently.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (int attempt = 1; ; attempt++)
            {
                int port;
                using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                {
                    listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                    port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                }
                if (!Recent.Add(port))
                {
                    if (attempt == 1000) throw new InvalidOperationException("no loopback port the lab has not handed out recently in 1,000 tries");
                    continue;
                }
                RecentOrder.Enqueue(port);
                if (RecentOrder.Count > Remembered) Recent.Remove(RecentOrder.Dequeue());
                return port;
            }
        }
    }

    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/> (a bind succeeds).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            // SO_REUSEADDR: connections in TIME_WAIT do not make a port busy for a new listener.
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Loopback, port));
            s.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until something accepts TCP connections on the port, or the token fires.</summary>
    public static async Task<bool> WaitListeningAsync(int port, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }
        return false;
    }
}
