using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Tests.Lab.Sessions;

/// <summary>
/// A real Kestrel on 127.0.0.1 whose session endpoints end each session in a chosen way, after the client's first
/// echo (WebSocket) or a first event (SSE), so the session is established before it ends. Every response names the
/// replica <c>p1</c> in <c>X-Pod-Name</c>, as HelloService does.
/// </summary>
/// <remarks>
/// <c>/ws/{how}</c>: <c>going-away</c> (close 1001), <c>internal-error</c> (close 1011), <c>abort</c> (at the second
/// message the connection is dropped without a close frame), <c>silent</c> (echoes once, then never again), <c>echo</c> (echoes until the client
/// leaves), <c>every-other-502</c> (odd attempts get a 502 instead of the upgrade, even ones echo 3 times then close 1001),
/// <c>echo-until-cut</c> (echoes until <see cref="CutSessions"/> drops every such connection open at that moment without
/// a close frame, as a SIGKILLed replica's are; later ones echo until the next call).
/// <c>/sse/{how}</c>: <c>going-away</c> (a tick, then <c>retry:</c> + the going-away event and the end), <c>end</c> (a tick,
/// then the end), <c>abort</c> (a tick, then the connection is dropped), <c>going-away-at-once</c> (only the going-away event).
/// </remarks>
public sealed class SessionServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _attempts;
    private TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SessionServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Drops every <c>/ws/echo-until-cut</c> connection open now, without a close frame.</summary>
    public void CutSessions() =>
        Interlocked.Exchange(ref _cut, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public static async Task<SessionServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        SessionServer? server = null;
        app.UseWebSockets();
        app.Use((context, next) =>
        {
            context.Response.Headers["X-Pod-Name"] = "p1";
            return next(context);
        });
        app.Map("/ws/{how}", (HttpContext context, string how) => server!.WebSocketAsync(context, how));
        app.MapGet("/sse/{how}", (HttpContext context, string how) => SseAsync(context, how));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new SessionServer(app, new Uri(address + "/"));
        return server;
    }

    private async Task WebSocketAsync(HttpContext context, string how)
    {
        if (how == "every-other-502" && Interlocked.Increment(ref _attempts) % 2 == 1)
        {
            context.Response.StatusCode = 502;
            return;
        }
        var cut = Volatile.Read(ref _cut).Task;
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[256];
        try
        {
            for (int echoes = 0; ; echoes++)
            {
                var receive = ws.ReceiveAsync(buffer.AsMemory(), context.RequestAborted).AsTask();
                if (how == "echo-until-cut" && await Task.WhenAny(receive, cut) == cut)
                {
                    _ = receive.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    context.Abort();
                    return;
                }
                var message = await receive;
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }
                if (how == "silent" && echoes > 0) continue;
                if (how == "abort" && echoes > 0)
                {
                    // The client sends its second message only once the first echo came back: it is established.
                    context.Abort();
                    return;
                }
                await ws.SendAsync(buffer.AsMemory(0, message.Count), message.MessageType, message.EndOfMessage, context.RequestAborted);
                switch (how)
                {
                    case "going-away":
                        await ws.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "bye", context.RequestAborted);
                        await DrainAsync(ws, buffer, context.RequestAborted);
                        return;
                    case "internal-error":
                        await ws.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "oops", context.RequestAborted);
                        await DrainAsync(ws, buffer, context.RequestAborted);
                        return;
                    case "every-other-502" when echoes == 2:
                        await ws.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "bye", context.RequestAborted);
                        await DrainAsync(ws, buffer, context.RequestAborted);
                        return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client left: nothing to do.
        }
    }

    /// <summary>Reads until the client's close answer arrives (or it leaves).</summary>
    private static async Task DrainAsync(WebSocket ws, byte[] buffer, CancellationToken ct)
    {
        while ((await ws.ReceiveAsync(buffer.AsMemory(), ct)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    private static async Task SseAsync(HttpContext context, string how)
    {
        context.Response.ContentType = "text/event-stream";
        var ct = context.RequestAborted;
        if (how != "going-away-at-once")
        {
            await context.Response.WriteAsync(": a comment first, as some servers send\n\ndata: tick 0\n\n", ct);
            await context.Response.Body.FlushAsync(ct);
            await Task.Delay(100, ct);
        }
        switch (how)
        {
            case "going-away" or "going-away-at-once":
                await context.Response.WriteAsync("retry: 1000\nevent: going-away\ndata: server is shutting down; reconnect\n\n", ct);
                return;
            case "end":
                await context.Response.WriteAsync("data: last\n\n", ct);
                return;
            case "abort":
                await context.Response.Body.FlushAsync(ct);
                context.Abort();
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
