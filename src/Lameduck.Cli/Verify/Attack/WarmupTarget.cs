using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// A throwaway Kestrel endpoint on loopback that speaks what a run's SocketsHttpHandler path speaks (TLS when the
/// target is https, HTTP/2 when <c>--http2</c>), answering every request with a short fixed body. The warm-up sends
/// to it so that the handshake, HTTP/2 framing and HPACK code is compiled before the real run; its certificate is a
/// fresh self-signed one that only the warm-up's client trusts (<see cref="LoadOptions.TrustedServerCertificate"/>).
/// </summary>
internal sealed class WarmupTarget : IAsyncDisposable
{
    private static readonly byte[] Body = "hello world\n"u8.ToArray();
    private readonly WebApplication _app;

    private WarmupTarget(WebApplication app, Uri address, X509Certificate2? certificate)
    {
        _app = app;
        Address = address;
        Certificate = certificate;
    }

    /// <summary>Where to send: http:// or https://127.0.0.1:PORT/.</summary>
    public Uri Address { get; }

    /// <summary>The serving certificate (https only), for the client to trust.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Requests answered so far (tests check that the warm-up went here and not to the target).</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>The protocol of the last request answered ("HTTP/1.1", "HTTP/2"), and whether it came over TLS.</summary>
    public (string? Protocol, bool Tls) LastRequest { get; private set; }

    private int _answered;

    /// <summary>Starts an endpoint shaped like <paramref name="options"/>' target (scheme and protocol).</summary>
    public static async Task<WarmupTarget> StartAsync(LoadOptions options, CancellationToken ct)
    {
        var certificate = options.Target.Scheme == Uri.UriSchemeHttps ? CreateCertificate() : null;
        // Empty: no configuration sources, no logging providers, and no console lifetime (verify owns Ctrl-C).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = options.Http2 ? HttpProtocols.Http2 : HttpProtocols.Http1;
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        WarmupTarget? target = null;
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentLength = Body.Length;
            await context.Response.Body.WriteAsync(Body, context.RequestAborted).ConfigureAwait(false);
            target!.LastRequest = (context.Request.Protocol, context.Request.IsHttps);
            Interlocked.Increment(ref target._answered);
        });
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        target = new WarmupTarget(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"), certificate);
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        using (var now = new CancellationTokenSource())
        {
            await now.CancelAsync().ConfigureAwait(false);
            await _app.StopAsync(now.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate?.Dispose();
    }

    /// <summary>ECDSA P-256, valid for an hour, for 127.0.0.1: made in about a millisecond.</summary>
    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=lameduck verify warm-up", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-1), now.AddHours(1));
        // Round-trip through PKCS#12: SslStream on Linux wants a certificate whose key is not the ephemeral
        // one CreateSelfSigned attaches.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>No signal handling and no start/stop messages: the endpoint lives for a quarter of a second inside verify.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
