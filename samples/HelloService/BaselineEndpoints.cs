using System.Net.WebSockets;

namespace HelloService;

/// <summary>
/// --graceful false: what a service without Lameduck has. Probes are plain 200 endpoints, the WebSocket
/// echoes until the client leaves, the SSE stream ticks until the client leaves; shutdown is the host's.
/// </summary>
internal static class BaselineEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz/live", () => "live");
        app.MapGet("/healthz/ready", () => "ready");

        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest("WebSocket requests only");
            }
            PodName.Tag(context.Response);
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(ws.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return Results.Empty;
                }
                await ws.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            }
        });

        app.MapGet("/sse", async (HttpContext context) =>
        {
            PodName.Tag(context.Response);
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            await Ticks.WriteAsync(context.Response, context.RequestAborted);
        });
    }
}
