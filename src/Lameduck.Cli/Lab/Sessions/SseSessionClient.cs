using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Lameduck.Cli.Lab.Sessions;

/// <summary>
/// A server-sent-event session: <c>GET</c> <see cref="SessionSettings.SsePath"/> through the ingress and read the
/// stream as an <c>EventSource</c> parses it (fields <c>data</c>, <c>event</c>, <c>retry</c>; an event is dispatched
/// at a blank line when it has data). A stream the server ends cleanly (the last chunk of the response) after a
/// <c>retry:</c> field is <see cref="SessionOutcome.WentAway"/>, without one <see cref="SessionOutcome.Closed"/>; a
/// response cut before its end, a reset, or no line within <see cref="SessionSettings.Timeout"/> is
/// <see cref="SessionOutcome.Cut"/>. The session is established at its first event other than Lameduck's
/// <c>going-away</c> notice (a replica already in its lame-duck window sends only that).
/// </summary>
/// <remarks>
/// One <see cref="HttpClient"/> per session, like one browser tab: a reconnect may reuse the session's keep-alive
/// connection when the server kept it open. The lab reconnects at once; a browser's <c>EventSource</c> would first
/// wait the <c>retry:</c> delay.
/// </remarks>
public sealed class SseSessionClient : SessionClient
{
    /// <summary>The event type of Lameduck's going-away notice (<c>ServerSentEvents.WriteGoingAwayAsync</c>).</summary>
    public const string GoingAwayEvent = "going-away";

    private readonly HttpClient _http;

    /// <summary>Creates the session's client (and its connection pool).</summary>
    public SseSessionClient(SessionSettings settings, Func<TimeSpan> clock) : base(settings, clock)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = settings.Timeout,
            UseProxy = false,
            AllowAutoRedirect = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // a stream has no end; liveness is checked line by line
        };
    }

    /// <inheritdoc />
    public override SessionProtocol Protocol => SessionProtocol.Sse;

    /// <inheritdoc />
    public override async Task<SessionEnd> RunAsync(Uri address, Action<string?> onEstablished, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, Settings.SsePath));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(stop);
        watchdog.CancelAfter(Settings.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watchdog.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return NotEstablished(null, "the lab stopped", SessionOutcome.Stopped);
        }
        catch (OperationCanceledException)
        {
            return NotEstablished(null, "no response within " + Seconds(Settings.Timeout));
        }
        catch (HttpRequestException e)
        {
            return NotEstablished(null, Describe(e));
        }
        using (response)
        {
            var replica = PodName(response.Headers);
            if (!response.IsSuccessStatusCode)
                return NotEstablished(replica, "HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
                return NotEstablished(replica, $"not an event stream (Content-Type {response.Content.Headers.ContentType?.MediaType ?? "none"})", SessionOutcome.Closed);
            return await ReadAsync(response, replica, onEstablished, watchdog, stop).ConfigureAwait(false);
        }
    }

    private async Task<SessionEnd> ReadAsync(HttpResponseMessage response, string? replica, Action<string?> onEstablished, CancellationTokenSource watchdog, CancellationToken stop)
    {
        bool established = false;
        string? retry = null, eventType = null;
        var data = new StringBuilder();
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(watchdog.Token).ConfigureAwait(false), Encoding.UTF8);
            while (true)
            {
                // Every line (an event's or a comment) proves the stream alive; the watchdog restarts with each one.
                watchdog.CancelAfter(Settings.Timeout);
                var line = await reader.ReadLineAsync(watchdog.Token).ConfigureAwait(false);
                if (line is null)
                {
                    // The response ended properly (its last chunk arrived): the server closed the stream on purpose.
                    return retry is not null
                        ? End(replica, established, SessionOutcome.WentAway, $"stream ended after retry: {retry} ms")
                        : End(replica, established, SessionOutcome.Closed, "stream ended without retry:");
                }
                if (line.Length == 0)
                {
                    // Dispatch, as EventSource does: an event needs data; its type defaults to "message".
                    if (data.Length > 0 && (eventType ?? "message") != GoingAwayEvent && !established)
                    {
                        established = true;
                        onEstablished(replica);
                    }
                    data.Clear();
                    eventType = null;
                    continue;
                }
                if (line[0] == ':') continue; // a comment (heartbeat)
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..];
                if (value.StartsWith(' ')) value = value[1..];
                switch (field)
                {
                    case "data": data.Append(value).Append('\n'); break;
                    case "event": eventType = value; break;
                    case "retry" when value.Length > 0 && value.All(char.IsAsciiDigit): retry = value; break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return End(replica, established, SessionOutcome.Stopped, "the lab stopped");
        }
        catch (OperationCanceledException)
        {
            return End(replica, established, SessionOutcome.Cut, "no event within " + Seconds(Settings.Timeout));
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            return End(replica, established, SessionOutcome.Cut, Describe(e));
        }
    }

    private SessionEnd End(string? replica, bool established, SessionOutcome outcome, string reason) =>
        new(established, replica, outcome, null, reason, Now);

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
