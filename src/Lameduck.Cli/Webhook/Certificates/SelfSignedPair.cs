using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lameduck.Cli.Webhook.Certificates;

/// <summary>
/// A private CA and a serving certificate it signed, for clusters without cert-manager: the API server trusts
/// the CA through the MutatingWebhookConfiguration's <c>caBundle</c> and checks the serving certificate's name
/// against the Service (<c>NAME.NAMESPACE.svc</c>). ECDSA P-256 keys; the CA's key is not kept (make a new
/// pair, and a new caBundle, to renew).
/// </summary>
internal sealed class SelfSignedPair : IDisposable
{
    private SelfSignedPair(X509Certificate2 ca, X509Certificate2 server, ECDsa serverKey)
    {
        Ca = ca;
        Server = server;
        ServerKey = serverKey;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The serving certificate.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The serving certificate's private key.</summary>
    public ECDsa ServerKey { get; }

    /// <summary>The DNS names the serving certificate is valid for, for <paramref name="service"/> in <paramref name="ns"/>.</summary>
    public static IReadOnlyList<string> ServiceNames(string service, string ns) =>
        [service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.cluster.local"];

    /// <summary>Makes a CA (valid 10 years) and a serving certificate for the names and addresses (valid <paramref name="validity"/>).</summary>
    public static SelfSignedPair Create(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, TimeSpan validity, DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(new X500DistinguishedName("CN=lameduck-webhook-ca"), caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        var caSubjectKey = new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false);
        caRequest.CertificateExtensions.Add(caSubjectKey);
        var notBefore = now.AddMinutes(-5); // clock skew between this machine and the API server
        using var ca = caRequest.CreateSelfSigned(notBefore, now.AddYears(10));

        var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest(new X500DistinguishedName($"CN={dnsNames.FirstOrDefault(n => n.EndsWith(".svc", StringComparison.Ordinal)) ?? dnsNames.FirstOrDefault() ?? addresses[0].ToString()}"), serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(caSubjectKey));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) names.AddDnsName(dns);
        foreach (var address in addresses) names.AddIpAddress(address);
        serverRequest.CertificateExtensions.Add(names.Build(critical: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        var server = serverRequest.Create(ca, notBefore, now.Add(validity) < ca.NotAfter ? now.Add(validity) : ca.NotAfter, serial);
        return new SelfSignedPair(X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)), server, serverKey);
    }

    /// <summary>Writes <c>ca.crt</c>, <c>tls.crt</c> and <c>tls.key</c> (mode 0600) into <paramref name="directory"/>.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ca.crt"), Ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, "tls.crt"), Server.ExportCertificatePem() + "\n");
        var keyPath = Path.Combine(directory, "tls.key");
        File.WriteAllText(keyPath, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(keyPath, ServerKey.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>The CA certificate as the MutatingWebhookConfiguration's <c>caBundle</c>: base64 of its PEM.</summary>
    public string CaBundle => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Ca.ExportCertificatePem() + "\n"));

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        ServerKey.Dispose();
    }
}
