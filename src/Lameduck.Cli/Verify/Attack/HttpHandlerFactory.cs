using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>Builds the SocketsHttpHandler a load run sends through.</summary>
internal static class HttpHandlerFactory
{
    public static SocketsHttpHandler Create(LoadOptions options)
    {
        var handler = Create();
        if (options.TrustedServerCertificate is { } trusted)
        {
            // A real chain build with that certificate as the only root: the code the run's default validation
            // goes through is compiled too.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                // SslStream hands over an X509Certificate2 (and owns it): no copy to make and dispose.
                if (certificate is not X509Certificate2 leaf) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(trusted);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(leaf);
            };
        }
        return handler;
    }

    private static SocketsHttpHandler Create() => new()
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
