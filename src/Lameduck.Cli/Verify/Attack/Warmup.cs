using System.Net;
using System.Net.Sockets;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// Runs the load path once, briefly, against a throwaway HTTP/1.1 responder on loopback inside this process,
/// so the JIT compiles it before the real run. Without it the first requests of a run wait for the compiler
/// (measured: send lag p99 of 72–165 ms on a 10 s run at 3,200 req/s on a busy 2-core machine), which is
/// verify's own startup, not the target's behaviour. The target receives nothing.
/// </summary>
public static class Warmup
{
    private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n"u8.ToArray();

    /// <summary>Sends 100 requests in 0.25 s through a <see cref="LoadGenerator"/> shaped like <paramref name="options"/>.</summary>
    public static async Task RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        if (options.Http2) return; // the responder speaks HTTP/1.1 only
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var serving = ServeAsync(listener, stop.Token);
        try
        {
            var target = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
            await using var generator = new LoadGenerator(options with
            {
                Target = target, Rate = 400, Duration = TimeSpan.FromSeconds(0.25), MaxInFlight = 0,
                ResultsPath = options.ResultsPath is null ? null : "/dev/null",
            });
            await generator.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            listener.Stop();
            await serving.ConfigureAwait(false);
        }
    }

    private static async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                connections.Add(AnswerAsync(socket, cancellationToken));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    /// <summary>Answers every request head (up to an empty line) on one connection with the fixed response.</summary>
    private static async Task AnswerAsync(Socket socket, CancellationToken cancellationToken)
    {
        using (socket)
        {
            var buffer = new byte[4096];
            int matched = 0; // how much of "\r\n\r\n" was seen
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    if (read == 0) return;
                    for (int i = 0; i < read; i++)
                    {
                        matched = buffer[i] == (matched % 2 == 0 ? (byte)'\r' : (byte)'\n') ? matched + 1 : (buffer[i] == '\r' ? 1 : 0);
                        if (matched == 4)
                        {
                            matched = 0;
                            await socket.SendAsync(Response, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
