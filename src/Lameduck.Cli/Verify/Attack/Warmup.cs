using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// Runs the load path once, briefly, against a throwaway responder on loopback inside this process, so the JIT
/// compiles it before the real run. Without it the first requests of a run wait for the compiler, which is verify's
/// own startup, not the target's behaviour: on the epoll HTTP/1.1 path, send lag p99 of 72–165 ms on a 10 s run at
/// 3,200 req/s on a busy 2-core machine; on the SocketsHttpHandler path (https, <c>--http2</c>), whose TLS handshake
/// and HTTP/2 stack compile on first use, the first 0.4–1.1 s of a run stalled on an idle machine, which put the
/// p99 of a do-nothing endpoint at 240–380 ms at 500 req/s and made 399 of 20,000 requests "saturated" at 2,000
/// req/s. The target receives nothing.
/// </summary>
/// <remarks>
/// The responder matches the engine the run will use: a bare TCP responder for the epoll engine (plain http://),
/// a Kestrel endpoint (<see cref="WarmupTarget"/>) with TLS and HTTP/2 as the target has them for the other.
/// </remarks>
public static class Warmup
{
    private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n"u8.ToArray();

    /// <summary>
    /// Sends 100 requests in 0.25 s through a <see cref="LoadGenerator"/> shaped like <paramref name="options"/> to a
    /// responder speaking the target's scheme and protocol, and says what it did.
    /// </summary>
    public static Task<WarmupResult> RunAsync(LoadOptions options, CancellationToken cancellationToken) =>
        Http1.Http1Engine.Supports(options) ? RunOnEpollPathAsync(options, cancellationToken) : RunOnHttpClientPathAsync(options, cancellationToken);

    /// <summary>A run shaped like <paramref name="options"/> towards <paramref name="target"/>, short and unbounded in flight.</summary>
    private static LoadOptions Shaped(LoadOptions options, Uri target) => options with
    {
        Target = target, Rate = 400, Duration = TimeSpan.FromSeconds(0.25), MaxInFlight = 0,
        ResultsPath = options.ResultsPath is null ? null : "/dev/null",
    };

    private static async Task<WarmupResult> RunOnHttpClientPathAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        await using var target = await WarmupTarget.StartAsync(options, cancellationToken).ConfigureAwait(false);
        await using var generator = new LoadGenerator(Shaped(options, target.Address) with { TrustedServerCertificate = target.Certificate });
        var run = await generator.RunAsync(cancellationToken).ConfigureAwait(false);
        return new WarmupResult(run, target.Answered, target.LastRequest.Protocol, target.LastRequest.Tls);
    }

    private static async Task<WarmupResult> RunOnEpollPathAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answered = new StrongBox<int>();
        var serving = ServeAsync(listener, answered, stop.Token);
        try
        {
            var target = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
            await using var generator = new LoadGenerator(Shaped(options, target));
            var run = await generator.RunAsync(cancellationToken).ConfigureAwait(false);
            return new WarmupResult(run, Volatile.Read(ref answered.Value), "HTTP/1.1", Tls: false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            listener.Stop();
            await serving.ConfigureAwait(false);
        }
    }

    private static async Task ServeAsync(TcpListener listener, StrongBox<int> answered, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                connections.Add(AnswerAsync(socket, answered, cancellationToken));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    /// <summary>Answers every request head (up to an empty line) on one connection with the fixed response.</summary>
    private static async Task AnswerAsync(Socket socket, StrongBox<int> answered, CancellationToken cancellationToken)
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
                            Interlocked.Increment(ref answered.Value);
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

/// <summary>What a warm-up did: its own run (100 requests), how many its responder answered, and how they came.</summary>
/// <param name="Run">The warm-up run's result, as a real run reports it.</param>
/// <param name="Answered">Requests the in-process responder answered (the target receives none).</param>
/// <param name="Protocol">The protocol the responder saw: <c>HTTP/1.1</c> or <c>HTTP/2</c>.</param>
/// <param name="Tls">Whether the requests came over TLS.</param>
public sealed record WarmupResult(LoadResult Run, int Answered, string? Protocol, bool Tls);
