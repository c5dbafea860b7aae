using System.Buffers;
using System.Net;

namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// The client's request body streamed to the replica as it arrives (no buffering: each piece read is
/// written and flushed). It can be sent once: <see cref="Started"/> tells the forwarder a retry is no
/// longer possible, and a second send (SocketsHttpHandler never resends a request that has a body) throws.
/// </summary>
internal sealed class RequestBodyContent(Stream body, long? contentLength) : HttpContent
{
    private const int BufferSize = 16 * 1024;

    /// <summary>True once the body started to be read from the client.</summary>
    public bool Started { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Started) throw new InvalidOperationException("the client's request body was already sent and cannot be sent again");
        Started = true;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        // Unknown length (a chunked request): the handler sends it chunked too.
        length = contentLength ?? 0;
        return contentLength.HasValue;
    }
}
