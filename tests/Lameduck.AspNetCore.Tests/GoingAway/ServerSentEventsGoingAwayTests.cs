using Lameduck.Testing;
using Lameduck.Contract.Signals;

namespace Lameduck.AspNetCore.Tests.GoingAway;

/// <summary>Issue 2, step 3: an SSE client sees its stream end with a retry hint when the window starts.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class ServerSentEventsGoingAwayTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SSE_stream_ends_with_a_retry_hint_when_the_window_starts()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:06",
        });
        await using var _ = service;
        using var cts = new CancellationTokenSource(Generous);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Generous };
        using var response = await http.GetAsync("/sse", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        Assert.Equal("data: tick 0", await reader.ReadLineAsync(cts.Token));
        service.Signal(SignalTable.SIGTERM);

        var rest = await reader.ReadToEndAsync(cts.Token); // returns only when the server ends the stream
        Assert.Contains("retry: 1000\n", rest, StringComparison.Ordinal);
        Assert.Contains("event: going-away\n", rest, StringComparison.Ordinal);
        // The stream ended with the window, not with the drain 6 s later.
        Assert.DoesNotContain("Draining after", service.Output, StringComparison.Ordinal);
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
        Assert.Contains("0 aborted", service.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// A stream's headers went out before the window, so they could not say <c>Connection: close</c>; when it ends in
    /// the window the server must still close the connection, or the client's (or proxy's) reconnect reuses it and
    /// lands on the same leaving pod.
    /// </summary>
    [Fact]
    public async Task An_SSE_stream_that_ends_in_the_window_closes_its_keep_alive_connection()
    {
        var (service, baseAddress) = await ChildProcess.StartHelloServiceAsync(graceful: true, new Dictionary<string, string>
        {
            ["Lameduck__Delay"] = "00:00:20",
        });
        await using var _ = service;
        using var cts = new CancellationTokenSource(Generous);
        using var connection = await RawHttpConnection.ConnectAsync(baseAddress, cts.Token);

        var stream = connection.GetAsync("/sse", cts.Token); // completes when the server ends the stream
        await Shutdown.DrainTests.WaitForInFlightAsync(baseAddress, 1);
        service.Signal(SignalTable.SIGTERM);
        var response = await stream;

        Assert.Equal(200, response.StatusCode);
        Assert.False(response.ConnectionClose, "the headers were written before the window");
        Assert.Contains("event: going-away", response.Body, StringComparison.Ordinal);
        // Closed right after the stream, long before the drain (20 s away) would close idle connections.
        Assert.True(await connection.ClosedByServerWithinAsync(TimeSpan.FromSeconds(3)), "the connection stayed open for reuse after the stream ended in the window");
    }
}
