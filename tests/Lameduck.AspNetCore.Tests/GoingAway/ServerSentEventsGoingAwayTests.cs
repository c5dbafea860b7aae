using Lameduck.Testing;

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
        service.Signal(Signals.SIGTERM);

        var rest = await reader.ReadToEndAsync(cts.Token); // returns only when the server ends the stream
        Assert.Contains("retry: 1000\n", rest, StringComparison.Ordinal);
        Assert.Contains("event: going-away\n", rest, StringComparison.Ordinal);
        // The stream ended with the window, not with the drain 6 s later.
        Assert.DoesNotContain("Draining after", service.Output, StringComparison.Ordinal);
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
        Assert.Contains("0 aborted", service.Output, StringComparison.Ordinal);
    }
}
