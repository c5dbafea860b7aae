using System.Buffers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// An upgraded connection (a WebSocket after its 101) relayed byte for byte in both directions until
/// either side ends it. The way it ends is passed on: an end of stream closes the other side (FIN), a
/// failure aborts it, so a replica that resets or dies mid-session reaches the client as an abnormal end
/// (its socket is closed with SO_LINGER 0: a reset, no WebSocket close frame), as through nginx.
/// </summary>
internal static class UpgradeTunnel
{
    private const int BufferSize = 16 * 1024;

    private enum End { SourceClosed, SourceFailed, DestinationFailed }

    /// <summary>Relays until one side ends; returns when both directions have stopped.</summary>
    public static async Task RunAsync(HttpContext context, Stream client, Stream upstream)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var toUpstream = PumpAsync(client, upstream, stop.Token);
        var toClient = PumpAsync(upstream, client, stop.Token);
        var first = await Task.WhenAny(toUpstream, toClient).ConfigureAwait(false);
        var end = await first.ConfigureAwait(false);
        bool upstreamFailed = first == toClient ? end == End.SourceFailed : end == End.DestinationFailed;
        if (upstreamFailed) AbortClient(context);

        await stop.CancelAsync().ConfigureAwait(false);
        // Closing the replica's side ends its pump too; returning ends the client's upgraded connection
        // (Kestrel closes it), unless it was aborted above.
        await upstream.DisposeAsync().ConfigureAwait(false);
        await (first == toClient ? toUpstream : toClient).ConfigureAwait(false);
    }

    private static async Task<End> PumpAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await from.ReadAsync(buffer, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
                {
                    return End.SourceFailed;
                }
                if (read == 0) return End.SourceClosed;
                try
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    await to.FlushAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
                {
                    return End.DestinationFailed;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Ends the client's connection with a reset rather than a clean close. Kestrel's abort shuts the socket down
    /// (a FIN) before it closes it, which a client reads as an orderly end of stream; so the socket is closed here
    /// first, with SO_LINGER 0 (a RST and nothing else), then the request is aborted.
    /// </summary>
    private static void AbortClient(HttpContext context)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
        context.Abort();
    }
}
