using System.Net.WebSockets;
using Lameduck;
using Lameduck.AspNetCore.GoingAway;

namespace HelloService;

/// <summary>--graceful true: the three lines a service adds to adopt Lameduck, and the going-away helpers.</summary>
internal static class GracefulEndpoints
{
    public static void AddServices(WebApplicationBuilder builder) => builder.Services.AddLameduck();

    public static void Map(WebApplication app)
    {
        app.UseLameduck();
        app.MapLameduckProbes();

        app.Map("/ws", async (HttpContext context, ILameduck lameduck) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest("WebSocket requests only");
            }
            PodName.Tag(context.Response);
            using var ws = new GoingAwayWebSocket(await context.WebSockets.AcceptWebSocketAsync(), lameduck);
            var buffer = new byte[4096];
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseAsync(context.RequestAborted);
                    return Results.Empty;
                }
                await ws.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            }
        });

        app.MapGet("/sse", (HttpContext context, ILameduck lameduck) =>
        {
            PodName.Tag(context.Response);
            return ServerSentEvents.StreamAsync(context, lameduck, Ticks.WriteAsync);
        });
    }
}
