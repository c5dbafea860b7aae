using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Lameduck.AspNetCore.GoingAway;

/// <summary>
/// Runs a server-sent-event stream that ends cleanly when the lame-duck window starts: the client gets a
/// <c>retry:</c> hint (how long to wait before reconnecting, to another pod) and the response completes,
/// so the request finishes within the drain instead of being aborted at the deadline.
/// </summary>
/// <example>
/// <code>
/// app.MapGet("/sse", (HttpContext context, ILameduck lameduck) =>
///     ServerSentEvents.StreamAsync(context, lameduck, async (response, ct) =>
///     {
///         for (var i = 0; ; i++)
///         {
///             await response.WriteAsync($"data: tick {i}\n\n", ct);
///             await response.Body.FlushAsync(ct);
///             await Task.Delay(1000, ct);
///         }
///     }));
/// </code>
/// </example>
public static class ServerSentEvents
{
    /// <summary>The reconnect hint used when none is given.</summary>
    public static readonly TimeSpan DefaultRetry = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sets <c>Content-Type: text/event-stream</c>, runs <paramref name="writeEvents"/> with a token that
    /// fires when the window starts or the client goes away, and on the window writes the going-away
    /// event. <paramref name="writeEvents"/> should let <see cref="OperationCanceledException"/> escape.
    /// </summary>
    public static async Task StreamAsync(
        HttpContext context,
        ILameduck lameduck,
        Func<HttpResponse, CancellationToken, Task> writeEvents,
        TimeSpan? retry = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lameduck);
        ArgumentNullException.ThrowIfNull(writeEvents);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lameduck.Draining, context.RequestAborted);
        try
        {
            await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            await writeEvents(response, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lameduck.Draining.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // The window started: fall through to the going-away event.
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left
        }
        if (lameduck.Draining.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            await WriteGoingAwayAsync(response, retry ?? DefaultRetry, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <c>retry: N</c> and a <c>going-away</c> event and flushes; the caller then ends the response.</summary>
    public static async Task WriteGoingAwayAsync(HttpResponse response, TimeSpan retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var ms = ((long)retry.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        await response.WriteAsync($"retry: {ms}\nevent: going-away\ndata: server is shutting down; reconnect\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
