using System.Net.WebSockets;

namespace Lameduck.AspNetCore.GoingAway;

/// <summary>
/// Wraps a server-side <see cref="WebSocket"/> so that when the lame-duck window starts
/// (<see cref="ILameduck.Draining"/>) the client receives a close frame with status 1001 Going Away and
/// reconnects (to another pod). Sends go through this wrapper so they never overlap the close frame
/// (a WebSocket allows one send at a time). Keep receiving until the client answers the close: the
/// receive loop then ends normally and the request completes within the drain.
/// </summary>
/// <example>
/// <code>
/// app.Map("/ws", async (HttpContext context, ILameduck lameduck) =>
/// {
///     using var ws = new GoingAwayWebSocket(await context.WebSockets.AcceptWebSocketAsync(), lameduck);
///     var buffer = new byte[4096];
///     while (true)
///     {
///         var result = await ws.ReceiveAsync(buffer, context.RequestAborted);
///         if (result.MessageType == WebSocketMessageType.Close) break;
///         await ws.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
///     }
///     await ws.CloseAsync(context.RequestAborted); // answers the client's close, or starts one
/// });
/// </code>
/// </example>
public sealed class GoingAwayWebSocket : IDisposable
{
    /// <summary>The close description sent with 1001.</summary>
    public const string Description = "server is shutting down; reconnect";

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenRegistration _registration;
    private int _closeSent;

    /// <summary>Wraps <paramref name="webSocket"/>; the close is sent when <paramref name="lameduck"/>'s window starts (at once if it already has).</summary>
    public GoingAwayWebSocket(WebSocket webSocket, ILameduck lameduck)
    {
        ArgumentNullException.ThrowIfNull(webSocket);
        ArgumentNullException.ThrowIfNull(lameduck);
        WebSocket = webSocket;
        _registration = lameduck.Draining.Register(static s => _ = ((GoingAwayWebSocket)s!).SendGoingAwayAsync(), this);
    }

    /// <summary>The wrapped socket. Receive from it freely; send through <see cref="SendAsync"/>.</summary>
    public WebSocket WebSocket { get; }

    /// <summary>Whether the 1001 close frame has been sent.</summary>
    public bool GoingAwaySent => Volatile.Read(ref _closeSent) == 1;

    /// <summary>Receives the next message (a plain pass-through: receiving may overlap sending).</summary>
    public ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        WebSocket.ReceiveAsync(buffer, cancellationToken);

    /// <summary>Sends a message unless the going-away close has been sent (then the message is dropped: the client is leaving).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!GoingAwaySent && WebSocket.State == WebSocketState.Open)
            {
                await WebSocket.SendAsync(buffer, messageType, endOfMessage, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Completes the close handshake: answers the client's close, or closes normally (1000) if nobody has yet.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (WebSocket.State)
            {
                case WebSocketState.Open:
                    Volatile.Write(ref _closeSent, 1);
                    await WebSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    break;
                case WebSocketState.CloseReceived:
                    await WebSocket.CloseOutputAsync(WebSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendGoingAwayAsync()
    {
        try
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (WebSocket.State is WebSocketState.Open or WebSocketState.CloseReceived && Interlocked.Exchange(ref _closeSent, 1) == 0)
                {
                    await WebSocket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, Description, CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The connection is already gone: nothing to tell the client.
        }
    }

    /// <summary>Stops watching for the window. Does not dispose the wrapped socket (the server owns it).</summary>
    public void Dispose()
    {
        _registration.Dispose();
        _sendLock.Dispose();
    }
}
