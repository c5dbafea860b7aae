using System.Net;
using Lameduck.Cli.Lab.Ingress;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Endpoint = Lameduck.Cli.Lab.Ingress.Endpoint;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>
/// A replica stand-in run in the test process: real Kestrel on a free loopback port that counts the
/// connections it accepts and still has open, and the requests it serves. By default it answers
/// <c>port N</c>; a test may give its own handler.
/// </summary>
internal sealed class KestrelBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _connections, _open, _requests;

    private KestrelBackend(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public Endpoint Endpoint(string name) => new(name, Port);

    /// <summary>Connections accepted since the start.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Connections open now.</summary>
    public long OpenConnections => Interlocked.Read(ref _open);

    /// <summary>Requests received since the start.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<KestrelBackend> StartAsync(RequestDelegate? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        KestrelBackend? backend = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => async connection =>
        {
            Interlocked.Increment(ref backend!._connections);
            Interlocked.Increment(ref backend._open);
            try { await next(connection); }
            finally { Interlocked.Decrement(ref backend._open); }
        })));
        var app = builder.Build();
        backend = new KestrelBackend(app);
        app.UseWebSockets();
        app.Run(async context =>
        {
            Interlocked.Increment(ref backend._requests);
            if (handler is not null) await handler(context);
            else await context.Response.WriteAsync($"port {backend.Port}\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        using var now = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(now.Token);
        await _app.DisposeAsync();
    }
}
