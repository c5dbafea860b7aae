using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>
/// Kestrel on a loopback address (IPv4 or IPv6), plain or TLS, answering <c>hello world</c> and counting every
/// request by protocol, scheme and the address family the connection arrived on: the truth a client's report is
/// checked against.
/// </summary>
public sealed class KestrelTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _counts = new();

    private KestrelTarget(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where to send requests, e.g. <c>https://[::1]:40123/</c>.</summary>
    public Uri Url { get; }

    /// <summary>How many requests arrived with <paramref name="key"/>: <c>HTTP/1.1</c>, <c>HTTP/2</c>, <c>https</c>, <c>http</c>, <c>ipv6</c>, <c>ipv4</c>, <c>all</c>.</summary>
    public long Count(string key) => _counts.TryGetValue(key, out var n) ? n : 0;

    public static async Task<KestrelTarget> StartAsync(IPAddress address, X509Certificate2? certificate = null, HttpProtocols protocols = HttpProtocols.Http1AndHttp2, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port, o =>
        {
            o.Protocols = protocols;
            if (certificate is not null) o.UseHttps(certificate);
        }));
        var app = builder.Build();
        KestrelTarget? target = null;
        app.Run(context =>
        {
            target!.Add("all");
            target.Add(context.Request.Protocol);
            target.Add(context.Request.Scheme);
            target.Add(context.Connection.LocalIpAddress?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4");
            return context.Response.WriteAsync("hello world\n");
        });
        await app.StartAsync();
        var listening = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        target = new KestrelTarget(app, new Uri($"{listening.Scheme}://{(address.Equals(IPAddress.IPv6Loopback) ? "[::1]" : "127.0.0.1")}:{listening.Port}/"));
        return target;
    }

    private void Add(string key) => _counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
