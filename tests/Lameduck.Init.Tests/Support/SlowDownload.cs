using System.Net.Sockets;
using System.Text;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests.Support;

/// <summary>
/// An HTTP/1.1 download over a raw socket that signals a supervisor once the body is flowing, then reads
/// to the end, so a test can tell a download that completed from one the server cut.
/// </summary>
internal static class SlowDownload
{
    /// <summary>GETs <paramref name="path"/> from 127.0.0.1:<paramref name="port"/>; sends SIGTERM to <paramref name="run"/> after the first body bytes. Returns (received, Content-Length).</summary>
    public static (long Received, long Expected) WhileStopping(int port, string path, SupervisedRun run)
    {
        using var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        client.ReceiveTimeout = 30_000;
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"));

        var buffer = new byte[64 * 1024];
        var head = new StringBuilder();
        long expected = -1, received = 0;
        bool signalled = false;
        while (true)
        {
            int n;
            try
            {
                n = stream.Read(buffer);
            }
            catch (IOException)
            {
                break; // connection reset: the download was cut
            }
            if (n == 0) break;
            if (expected < 0)
            {
                // ASCII keeps one char per byte, so lengths in the text are byte counts.
                head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                var text = head.ToString();
                int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0) continue;
                if (!text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                    throw new InvalidOperationException($"expected 200, got: {text[..text.IndexOf('\r')]}");
                var lengthLine = text[..end].Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                expected = long.Parse(lengthLine["Content-Length:".Length..].Trim());
                received = text.Length - end - 4; // body bytes that came with the headers
            }
            else
            {
                received += n;
            }
            if (!signalled && received > 0)
            {
                run.Signal(SignalTable.SIGTERM); // the request is in flight, well before its end
                signalled = true;
            }
        }
        if (!signalled) throw new InvalidOperationException("no body byte arrived before the connection ended");
        return (received, expected);
    }
}
