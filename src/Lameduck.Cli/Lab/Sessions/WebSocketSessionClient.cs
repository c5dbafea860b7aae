using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Lameduck.Cli.Lab.Sessions;

/// <summary>
/// A WebSocket session: upgrades <see cref="SessionSettings.WebSocketPath"/> through the ingress, sends a small text
/// message every <see cref="SessionSettings.EchoInterval"/> and expects it back within <see cref="SessionSettings.Timeout"/>,
/// with a receive always pending so a close frame or a broken connection is noticed the moment it arrives. A close
/// frame 1001 is <see cref="SessionOutcome.WentAway"/>, any other close frame <see cref="SessionOutcome.Closed"/>, and
/// anything without a close frame (EOF, reset, silence) <see cref="SessionOutcome.Cut"/> with code 1006.
/// Each attempt is a new connection, as with a browser's <c>new WebSocket(url)</c>.
/// </summary>
public sealed class WebSocketSessionClient(SessionSettings settings, Func<TimeSpan> clock) : SessionClient(settings, clock)
{
    /// <summary>RFC 6455's code for a connection that closed without a close frame (never sent on the wire).</summary>
    public const int AbnormalClosure = 1006;

    private static readonly TimeSpan PoliteCloseWait = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override SessionProtocol Protocol => SessionProtocol.WebSocket;

    /// <inheritdoc />
    public override async Task<SessionEnd> RunAsync(Uri address, Action<string?> onEstablished, CancellationToken stop)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true; // the 101's headers name the replica; a failed upgrade's status says why
        ws.Options.KeepAliveInterval = TimeSpan.Zero; // the echoes keep it alive and prove it is
        var uri = new UriBuilder(new Uri(address, Settings.WebSocketPath)) { Scheme = address.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            connect.CancelAfter(Settings.Timeout);
            try
            {
                await ws.ConnectAsync(uri, connect.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return NotEstablished(null, "the lab stopped", SessionOutcome.Stopped);
            }
            catch (OperationCanceledException)
            {
                return NotEstablished(null, "no 101 within " + Seconds(Settings.Timeout));
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
            {
                return NotEstablished(PodName(ws.HttpResponseHeaders),
                    ws.HttpStatusCode is not 0 and not System.Net.HttpStatusCode.SwitchingProtocols
                        ? "HTTP " + ((int)ws.HttpStatusCode).ToString(CultureInfo.InvariantCulture)
                        : Describe(e));
            }
        }
        var replica = PodName(ws.HttpResponseHeaders);
        return await EchoAsync(ws, replica, onEstablished, stop).ConfigureAwait(false);
    }

    private async Task<SessionEnd> EchoAsync(ClientWebSocket ws, string? replica, Action<string?> onEstablished, CancellationToken stop)
    {
        var buffer = new byte[1024];
        bool established = false;
        long sequence = 0;
        Task<ValueWebSocketReceiveResult>? receive = null;
        TimeSpan? echoSentAt = null;
        var nextEcho = Now;
        try
        {
            while (true)
            {
                // Never canceled by token: a canceled receive aborts the socket, and the stop closes politely instead.
                receive ??= ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask();
                if (!receive.IsCompleted && echoSentAt is null && Now >= nextEcho)
                {
                    var message = Encoding.ASCII.GetBytes("echo " + (++sequence).ToString(CultureInfo.InvariantCulture));
                    try
                    {
                        await ws.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception e) when (IsBrokenConnection(e))
                    {
                        // A close frame may already be on its way in: it, not the failed send, says how the session ended.
                        if (await CompletesWithinAsync(receive, PoliteCloseWait).ConfigureAwait(false)) continue;
                        return Cut(replica, established, e);
                    }
                    echoSentAt = Now;
                }
                var wakeAt = echoSentAt is { } sent ? sent + Settings.Timeout : nextEcho;
                if (!receive.IsCompleted)
                {
                    await WaitAsync(receive, wakeAt - Now, stop).ConfigureAwait(false);
                    if (stop.IsCancellationRequested) return await StopAsync(ws, receive, replica, established).ConfigureAwait(false);
                    if (!receive.IsCompleted)
                    {
                        if (echoSentAt is { } s && Now - s >= Settings.Timeout)
                        {
                            ws.Abort();
                            return End(replica, established, SessionOutcome.Cut, AbnormalClosure, "no echo within " + Seconds(Settings.Timeout));
                        }
                        continue;
                    }
                }
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await receive.ConfigureAwait(false);
                }
                catch (Exception e) when (IsBrokenConnection(e))
                {
                    return Cut(replica, established, e);
                }
                receive = null;
                if (result.MessageType == WebSocketMessageType.Close) return await ClosedAsync(ws, replica, established).ConfigureAwait(false);
                if (result.EndOfMessage && echoSentAt is not null)
                {
                    echoSentAt = null;
                    nextEcho = Now + Settings.EchoInterval;
                    if (!established)
                    {
                        established = true;
                        onEstablished(replica);
                    }
                }
            }
        }
        finally
        {
            // A receive still pending when the socket is disposed faults; observe it so it is not reported as unobserved.
            receive?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>The server sent a close frame: 1001 is "go away", anything else a plain close. Answers it, as RFC 6455 asks.</summary>
    private async Task<SessionEnd> ClosedAsync(ClientWebSocket ws, string? replica, bool established)
    {
        var at = Now;
        int code = ws.CloseStatus is { } status ? (int)status : 1005; // 1005: a close frame without a status code
        var description = ws.CloseStatusDescription;
        try
        {
            using var wait = new CancellationTokenSource(PoliteCloseWait);
            await ws.CloseOutputAsync(ws.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server may have closed the TCP connection already; the close frame said everything.
        }
        var outcome = code == (int)WebSocketCloseStatus.EndpointUnavailable ? SessionOutcome.WentAway : SessionOutcome.Closed;
        var reason = "close " + code.ToString(CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(description) ? "" : " (" + description + ")");
        return new SessionEnd(established, replica, outcome, code, reason, at);
    }

    /// <summary>The lab is over: close normally and give the server a moment to answer.</summary>
    private async Task<SessionEnd> StopAsync(ClientWebSocket ws, Task<ValueWebSocketReceiveResult> receive, string? replica, bool established)
    {
        var at = Now;
        try
        {
            using var wait = new CancellationTokenSource(PoliteCloseWait);
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "the lab is over", wait.Token).ConfigureAwait(false);
            await CompletesWithinAsync(receive, PoliteCloseWait).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        return new SessionEnd(established, replica, SessionOutcome.Stopped, null, "the lab stopped", at);
    }

    /// <summary>
    /// How a send or receive reports a connection that broke. The socket's operations never get a token here, so an
    /// <see cref="OperationCanceledException"/> is not a cancellation: it is how <see cref="ClientWebSocket"/> fails an
    /// operation once the socket is aborted, e.g. a send that was writing when the receive saw the reset of a killed
    /// pod. Escaping, it ended the whole lab with exit 1 and no message (seen once in about 20 baseline runs beside a load).
    /// </summary>
    private static bool IsBrokenConnection(Exception e) =>
        e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException;

    private SessionEnd Cut(string? replica, bool established, Exception e) =>
        End(replica, established, SessionOutcome.Cut, AbnormalClosure, Describe(e));

    private SessionEnd End(string? replica, bool established, SessionOutcome outcome, int? code, string reason) =>
        new(established, replica, outcome, code, reason, Now);

    /// <summary>Waits until <paramref name="task"/> completes, <paramref name="wait"/> passes or <paramref name="stop"/> fires.</summary>
    private static async Task WaitAsync(Task task, TimeSpan wait, CancellationToken stop)
    {
        if (wait <= TimeSpan.Zero) return;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(wait, timer.Token);
        await Task.WhenAny(task, delay).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false); // release the timer at once
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan wait)
    {
        await WaitAsync(task, wait, CancellationToken.None).ConfigureAwait(false);
        return task.IsCompleted;
    }
}
