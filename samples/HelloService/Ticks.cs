namespace HelloService;

/// <summary>The /sse stream's content: one <c>tick N</c> event per second, forever.</summary>
internal static class Ticks
{
    public static async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            await response.WriteAsync($"data: tick {i}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
