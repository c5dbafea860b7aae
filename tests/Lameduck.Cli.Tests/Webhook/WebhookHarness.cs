using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lameduck.Cli.Inject;
using Lameduck.Cli.Lint.Rules;
using Lameduck.Cli.Webhook.Certificates;
using Lameduck.Cli.Webhook.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Tests.Webhook;

/// <summary>
/// Certificates laid out as the kubelet mounts a Secret (<c>tls.crt -> ..data/tls.crt</c>, <c>..data -> ..2026_01</c>,
/// swapped atomically on renewal), and a client that trusts their CA only.
/// </summary>
internal sealed class CertificateFolder : IDisposable
{
    private int _generation;

    public CertificateFolder()
    {
        Directory.CreateDirectory(Path);
        try
        {
            Rotate();
            File.CreateSymbolicLink(CertFile, "..data/tls.crt");
            File.CreateSymbolicLink(KeyFile, "..data/tls.key");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lameduck-webhook-" + Guid.NewGuid().ToString("N"));

    public string CertFile => System.IO.Path.Combine(Path, "tls.crt");

    public string KeyFile => System.IO.Path.Combine(Path, "tls.key");

    /// <summary>The CA of the pair served now.</summary>
    public X509Certificate2 Ca { get; private set; } = null!;

    /// <summary>The thumbprint of the certificate written last.</summary>
    public string Thumbprint { get; private set; } = "";

    /// <summary>Writes a new pair in a new directory and swaps <c>..data</c> to it in one rename, as the kubelet does.</summary>
    public void Rotate()
    {
        var generation = $"..2026_01_{++_generation:D2}";
        using var pair = SelfSignedPair.Create(["lameduck-webhook.lameduck-system.svc"], [IPAddress.Loopback], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        pair.WriteTo(System.IO.Path.Combine(Path, generation));
        Ca = X509CertificateLoader.LoadCertificate(pair.Ca.RawData);
        Thumbprint = pair.Server.Thumbprint;
        var temporary = System.IO.Path.Combine(Path, "..data_tmp");
        File.CreateSymbolicLink(temporary, generation);
        // rename(2) replaces the old link in one step; File.Move would look through the link at a directory.
        if (Rename(temporary, System.IO.Path.Combine(Path, "..data")) != 0)
        {
            throw new IOException($"rename failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string from, string to);

    /// <summary>Accepts exactly a certificate signed by one of <paramref name="cas"/> for 127.0.0.1.</summary>
    public static bool Trusts(X509Certificate? certificate, IEnumerable<X509Certificate2> cas)
    {
        if (certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas.ToArray());
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

/// <summary>The webhook host in the test process on a free loopback port, with the certificates above.</summary>
internal sealed class WebhookHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<X509Certificate2> _trusted = [];

    private WebhookHarness(WebApplication app, CertificateFolder certificates, Uri address)
    {
        _app = app;
        Certificates = certificates;
        Address = address;
        _trusted.Add(certificates.Ca);
        Client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => CertificateFolder.Trusts(cert, _trusted) },
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        })
        { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public CertificateFolder Certificates { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WebhookHarness> StartAsync(TimeSpan? timeout = null, string kubeVersion = "1.30", TimeSpan? certificateCheck = null)
    {
        var certificates = new CertificateFolder();
        try
        {
            KubeVersion.TryParse(kubeVersion, out var version);
            var settings = new WebhookSettings(new IPEndPoint(IPAddress.Loopback, 0), certificates.CertFile, certificates.KeyFile,
                new InjectSettings(version, InjectSettings.DefaultInitImage), timeout ?? TimeSpan.FromSeconds(2), WebhookSettings.DefaultMaxBodyBytes,
                certificateCheck ?? TimeSpan.FromMinutes(10));
            var app = WebhookHost.Build(settings, logging => logging.SetMinimumLevel(LogLevel.Warning));
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return new WebhookHarness(app, certificates, new Uri(app.Urls.Single()));
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    /// <summary>Trust the CA written last as well (after a rotation).</summary>
    public void TrustCurrentCa() => _trusted.Add(Certificates.Ca);

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/>; returns status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await Client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A fresh TLS handshake with the webhook: the thumbprint of the certificate it presents.</summary>
    public async Task<string> HandshakeThumbprintAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Address.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData()).Thumbprint;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try { await _app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        }
        await _app.DisposeAsync();
        Certificates.Dispose();
    }
}

/// <summary>AdmissionReview requests shaped like the API server's (the Kubernetes documentation's example request).</summary>
internal static class AdmissionReviews
{
    /// <summary>
    /// A review of <paramref name="pod"/> (JSON text) as the API server sends it when a ReplicaSet controller creates a
    /// pod: https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request
    /// </summary>
    public static byte[] ForPod(string pod, string uid = "705ab4f5-6393-11e8-b7cc-42010a800002", string operation = "CREATE",
        string group = "", string version = "v1", string kind = "Pod", string resource = "pods") => Encoding.UTF8.GetBytes($$"""
        {
          "apiVersion": "admission.k8s.io/v1",
          "kind": "AdmissionReview",
          "request": {
            "uid": "{{uid}}",
            "kind": {"group": "{{group}}", "version": "{{version}}", "kind": "{{kind}}"},
            "resource": {"group": "{{group}}", "version": "{{version}}", "resource": "{{resource}}"},
            "subResource": null,
            "requestKind": {"group": "{{group}}", "version": "{{version}}", "kind": "{{kind}}"},
            "requestResource": {"group": "{{group}}", "version": "{{version}}", "resource": "{{resource}}"},
            "requestSubResource": null,
            "name": "",
            "namespace": "shop",
            "operation": "{{operation}}",
            "userInfo": {
              "username": "system:serviceaccount:kube-system:replicaset-controller",
              "uid": "014fbff9a07c",
              "groups": ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"]
            },
            "object": {{pod}},
            "oldObject": null,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
            "dryRun": false
          }
        }
        """);
}
