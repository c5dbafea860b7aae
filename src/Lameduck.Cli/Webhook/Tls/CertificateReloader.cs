using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lameduck.Cli.Webhook.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Webhook.Tls;

/// <summary>
/// The serving certificate, read from a PEM pair and read again when the files change, without a restart.
/// cert-manager renews the Secret and the kubelet replaces the mounted files by swapping a <c>..data</c> symbolic
/// link to a new directory; a file watch can miss that, and file times say little through the link. So the
/// files' contents are compared (a hash of a few kilobytes) on a timer. A pair that does not load (half written,
/// key and certificate not matching) is ignored and the old one served until the next check.
/// </summary>
internal sealed class CertificateReloader : IDisposable
{
    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private string _stamp;
    private volatile Loaded _current;

    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context);

    /// <summary>Loads the pair; throws <see cref="CertificateLoadException"/> naming the file when it cannot.</summary>
    public CertificateReloader(string certFile, string keyFile, TimeSpan checkInterval, ILoggerFactory loggerFactory)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _logger = loggerFactory.CreateLogger(WebhookLog.Category);
        _stamp = Stamp();
        _current = Load(out var error) ?? throw new CertificateLoadException(error!);
        WebhookLog.CertificateLoaded(_logger, _current.Certificate.Subject, _current.Certificate.Thumbprint, _current.Certificate.NotAfter.ToUniversalTime(), _certFile);
        _timer = new Timer(_ => CheckForChange(), null, checkInterval, checkInterval);
    }

    /// <summary>The certificate served now.</summary>
    public X509Certificate2 Certificate => _current.Certificate;

    /// <summary>TLS options for one new connection, with the current certificate (and the chain its file holds).</summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = _current.Context,
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        ClientCertificateRequired = false,
    };

    /// <summary>Reloads when the files changed; public so tests need not wait for the timer.</summary>
    public void CheckForChange()
    {
        lock (_gate)
        {
            var stamp = Stamp();
            if (stamp == _stamp) return;
            if (Load(out var error) is { } loaded)
            {
                _stamp = stamp;
                _current = loaded;
                WebhookLog.CertificateLoaded(_logger, loaded.Certificate.Subject, loaded.Certificate.Thumbprint, loaded.Certificate.NotAfter.ToUniversalTime(), _certFile);
            }
            else
            {
                // Keep the stamp unchanged: the next check tries again (the other file may still be on its way).
                WebhookLog.CertificateReloadFailed(_logger, _certFile, _keyFile, error!, _current.Certificate.Thumbprint);
            }
        }
    }

    private Loaded? Load(out string? error)
    {
        error = null;
        try
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(_certFile);
            if (chain.Count == 0)
            {
                error = $"{_certFile}: no PEM certificate in it";
                return null;
            }
            var leaf = X509Certificate2.CreateFromPemFile(_certFile, _keyFile);
            var intermediates = new X509Certificate2Collection();
            for (int i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
            return new Loaded(leaf, SslStreamCertificateContext.Create(leaf, intermediates, offline: true));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error = $"{_certFile} / {_keyFile}: {e.Message}";
            return null;
        }
    }

    // The two files' contents, hashed; an unreadable file counts as changed content ("" differs from any hash).
    private string Stamp()
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(_certFile))) + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(_keyFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>The certificate or key cannot be used at start-up.</summary>
internal sealed class CertificateLoadException(string message) : Exception(message);
