using System.Net;
using Lameduck.Cli.Inject;

namespace Lameduck.Cli.Webhook.Hosting;

/// <summary>What <c>lameduck webhook</c> was told, checked.</summary>
/// <param name="Listen">The HTTPS endpoint (port 0 picks a free one).</param>
/// <param name="CertFile">The PEM certificate (chain) file.</param>
/// <param name="KeyFile">The PEM private key file.</param>
/// <param name="Inject">What every mutation targets (Kubernetes version, lameduck-init image).</param>
/// <param name="Timeout">The longest a request may take to arrive and be answered; well under the API server's 10 s.</param>
/// <param name="MaxBodyBytes">The largest AdmissionReview read (the API server's own request limit is 3 MiB).</param>
/// <param name="CertificateCheckInterval">How often the certificate files are compared with what is served.</param>
internal sealed record WebhookSettings(
    IPEndPoint Listen,
    string CertFile,
    string KeyFile,
    InjectSettings Inject,
    TimeSpan Timeout,
    int MaxBodyBytes,
    TimeSpan CertificateCheckInterval)
{
    /// <summary>3 MiB: what the API server accepts for one request, so no real pod is larger.</summary>
    public const int DefaultMaxBodyBytes = 3 * 1024 * 1024;

    /// <summary>2 s: a fifth of the API server's default webhook timeout (10 s); a mutation takes well under a millisecond.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);
}
