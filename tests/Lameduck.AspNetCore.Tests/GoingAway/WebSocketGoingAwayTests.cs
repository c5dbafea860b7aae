using System.Net.WebSockets;
using System.Text;
using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.AspNetCore.Tests.GoingAway;

/// <summary>Issue 2, step 3: a WebSocket client is told 1001 Going Away when the window starts.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class WebSocketGoingAwayTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WebSocket_client_gets_close_code_1001_when_the_window_starts_and_the_process_exits_0()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:06",
        });
        await using var _ = service;
        using var cts = new CancellationTokenSource(Generous);
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/ws"), cts.Token);

        await client.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[1024];
        var echo = await client.ReceiveAsync(buffer, cts.Token);
        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, echo.Count));

        service.Signal(SignalTable.SIGTERM);
        var close = await client.ReceiveAsync(buffer, cts.Token);

        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus); // 1001 Going Away
        Assert.Equal(1001, (int)close.CloseStatus!.Value);
        // It came with the window, not with the drain 6 s later.
        Assert.DoesNotContain("Draining after", service.Output, StringComparison.Ordinal);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);

        Assert.Equal(0, await service.WaitForExitAsync(Generous));
        Assert.Contains("0 aborted", service.Output, StringComparison.Ordinal);
    }
}
