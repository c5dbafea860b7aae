using System.Net;
using System.Net.Sockets;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>Builds the SocketsHttpHandler a load run sends through.</summary>
internal static class HttpHandlerFactory
{
    public static SocketsHttpHandler Create(LoadOptions options) => new()
    {
        // Every request has its own timer (LoadOptions.Timeout); the handler must not add limits of its own.
        ConnectTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = int.MaxValue,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        EnableMultipleHttp2Connections = true,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>What the handler does by default (dual-mode socket, Nagle off), plus the attempt tracking stream.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new AttemptTrackingStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
