using System.Net;
using System.Net.WebSockets;
using Lameduck.AspNetCore;
using Lameduck.AspNetCore.GoingAway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Lameduck.AspNetCore.Tests.Middleware;

/// <summary>The middleware's going-away signal per protocol: Connection: close on HTTP/1.1, GOAWAY on HTTP/2.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class GoingAwayProtocolTests
{
    private static readonly Dictionary<string, string?> LongWindow = new() { ["Lameduck:Delay"] = "00:00:30", ["Lameduck:GracePeriod"] = "00:01:00" };

    [Fact]
    public async Task HTTP2_connection_gets_GOAWAY_during_the_window_and_the_client_moves_to_a_new_connection()
    {
        await using var server = await InProcessApp.StartAsync(LongWindow,
            app =>
            {
                app.UseLameduck();
                app.MapGet("/", (HttpContext context) => context.Connection.Id);
            },
            builder =>
            {
                builder.Services.AddLameduck();
                builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
            });
        using var http = new HttpClient
        {
            BaseAddress = server.BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, // h2c with prior knowledge
        };

        var first = await http.GetStringAsync("/");
        Assert.Equal(first, await http.GetStringAsync("/")); // one multiplexed connection while serving

        await server.BeginShutdownAsync();
        var inWindow = await http.GetStringAsync("/");
        Assert.Equal(first, inWindow); // served on the old connection, which is then told GOAWAY
        // After the GOAWAY the client opens a new connection (a request racing the GOAWAY is refused by the
        // old connection and retried by SocketsHttpHandler on a new one, so either way it lands there).
        var after = await http.GetStringAsync("/");
        Assert.NotEqual(first, after);
    }

    [Fact]
    public async Task WebSocket_upgrade_during_the_window_stays_a_valid_101_and_the_client_is_then_told_1001()
    {
        // RFC 6455 4.1: a 101 without "Connection: Upgrade" fails the handshake; HAProxy answers such a 101 with a 502.
        // The client reconnecting into a pod in its window must get a proper upgrade and then the going-away close.
        await using var server = await InProcessApp.StartAsync(LongWindow,
            app =>
            {
                app.UseLameduck();
                app.UseWebSockets();
                app.Map("/ws", async (HttpContext context, ILameduck lameduck) =>
                {
                    using var ws = new GoingAwayWebSocket(await context.WebSockets.AcceptWebSocketAsync(), lameduck);
                    var buffer = new byte[64];
                    while ((await ws.ReceiveAsync(buffer, context.RequestAborted)).MessageType != WebSocketMessageType.Close)
                    {
                    }
                    await ws.CloseAsync(context.RequestAborted);
                });
            },
            builder => builder.Services.AddLameduck());
        await server.BeginShutdownAsync();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        await client.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws"), cts.Token);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, client.HttpStatusCode);
        Assert.Contains("Upgrade", string.Join(",", client.HttpResponseHeaders!.First(h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)).Value), StringComparison.OrdinalIgnoreCase);
        var close = await client.ReceiveAsync(new byte[64], cts.Token);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
    }

    [Fact]
    public async Task Request_that_arrived_before_the_window_and_answers_during_it_carries_Connection_close()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await InProcessApp.StartAsync(LongWindow,
            app =>
            {
                app.UseLameduck();
                app.MapGet("/wait", async () => { await release.Task; return "done"; });
            },
            builder => builder.Services.AddLameduck());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var pending = http.GetAsync("/wait");
        using var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (server.Lameduck.InFlight == 0)
        {
            await Task.Delay(10, waiting.Token);
        }
        await server.BeginShutdownAsync();
        release.SetResult();
        using var response = await pending;
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.ConnectionClose);
    }
}
