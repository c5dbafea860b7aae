using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// Forwards one client request to one endpoint and relays the answer, as ingress-nginx does: the smallest
/// piece of YARP's HTTP forwarder the lab needs (Yarp.ReverseProxy does not restore here), on Kestrel and
/// SocketsHttpHandler. Bodies stream in both directions without buffering (a Server-Sent Events response
/// reaches the client event by event), hop-by-hop headers are dropped, WebSocket upgrades become a tunnel.
/// </summary>
/// <remarks>
/// Failures, as nginx reports them: no endpoint, a refused or reset connection, or any transport error
/// before the response header is a 502; a connect or response-header timeout is a 504; a replica that
/// fails in the middle of a response body cuts the client's connection. With
/// <see cref="L7IngressOptions.Retries"/> (nginx's <c>proxy_next_upstream error timeout</c> and
/// <c>max_fails=1</c>) a failed endpoint is ejected for <see cref="L7IngressOptions.FailTimeout"/> and the request
/// goes to the next endpoint when that is safe: nothing was sent (a connect error or timeout), or the method is
/// idempotent and no body was read. SocketsHttpHandler itself resends a request without a body, up to 3 times
/// and to the same endpoint, when a connection closes (an end of stream, not a reset) before any byte of the
/// response: see docs/lab.md.
/// </remarks>
internal sealed class RequestForwarder(UpstreamView view, L7IngressOptions options)
{
    private const int BufferSize = 16 * 1024;
    private static readonly byte[] BadGateway = "502 Bad Gateway\n"u8.ToArray();
    private static readonly byte[] GatewayTimeout = "504 Gateway Timeout\n"u8.ToArray();

    /// <summary>Forwards <paramref name="context"/>'s request and writes the answer (or the failure) to it.</summary>
    public async Task ForwardAsync(HttpContext context)
    {
        var endpoints = view.Current;
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        bool isUpgrade = upgrade is { IsUpgradableRequest: true };
        bool hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        int attemptsLeft = options.Retries ? Math.Min(endpoints.Length, UpstreamView.MaxTries) : 1;
        ulong tried = 0;
        while (true)
        {
            var upstream = view.Pick(endpoints, ref tried, skipEjected: options.Retries);
            if (upstream is null)
            {
                await FailAsync(context, HttpStatusCode.BadGateway).ConfigureAwait(false); // no live upstreams
                return;
            }
            var body = hasBody ? new RequestBodyContent(context.Request.Body, context.Request.ContentLength) : null;
            var request = CreateRequest(context, upstream, body, isUpgrade);
            HttpResponseMessage response;
            // proxy_read_timeout for the response header; the client leaving cancels the request too.
            var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            try
            {
                timeout.CancelAfter(options.ResponseHeadersTimeout);
                response = await upstream.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                upstream.Release();
                if (context.RequestAborted.IsCancellationRequested)
                {
                    context.Abort(); // the client left (nginx logs a 499)
                    return;
                }
                if (options.Retries)
                {
                    upstream.Eject(Environment.TickCount64 + (long)options.FailTimeout.TotalMilliseconds);
                    if (--attemptsLeft > 0 && MayRetry(e, context.Request.Method, body)) continue;
                }
                await FailAsync(context, e is OperationCanceledException ? HttpStatusCode.GatewayTimeout : HttpStatusCode.BadGateway).ConfigureAwait(false);
                return;
            }
            finally
            {
                timeout.Dispose();
            }

            try
            {
                if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
                    await RelayUpgradeAsync(context, response, isUpgrade ? upgrade! : null).ConfigureAwait(false);
                else
                    await RelayAsync(context, response).ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
                upstream.Release();
            }
            return;
        }
    }

    /// <summary>
    /// nginx's <c>proxy_next_upstream</c> rule: a request may go to the next endpoint when nothing of it was sent
    /// (connect error or connect timeout), or when its method is idempotent (not POST, LOCK or PATCH); and only while
    /// its body was not read, because the body is streamed, not buffered.
    /// </summary>
    private static bool MayRetry(Exception e, string method, RequestBodyContent? body)
    {
        if (body is { Started: true }) return false;
        bool nothingSent = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            || e is OperationCanceledException { InnerException: TimeoutException }; // SocketsHttpHandler's ConnectTimeout
        return nothingSent || !(HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || string.Equals(method, "LOCK", StringComparison.OrdinalIgnoreCase));
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, Upstream upstream, RequestBodyContent? body, bool isUpgrade)
    {
        // The request target exactly as the client sent it (Request.Path is decoded).
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is null || !target.StartsWith('/')) target = context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        var request = new HttpRequestMessage(HttpMethod.Parse(context.Request.Method), new Uri(upstream.Origin + target, UriKind.Absolute))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        HopByHopHeaders.CopyRequest(context.Request.Headers, request, body);
        if (isUpgrade)
        {
            // The upgrade is asked of the replica the way ClientWebSocket does over SocketsHttpHandler.
            request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
            request.Headers.TryAddWithoutValidation("Upgrade", (IEnumerable<string?>)context.Request.Headers.Upgrade);
        }
        return request;
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage response)
    {
        var ct = context.RequestAborted;
        context.Response.StatusCode = (int)response.StatusCode;
        var connection = HopByHopHeaders.ConnectionOf(response);
        HopByHopHeaders.CopyResponse(response.Headers, connection, context.Response.Headers, keepUpgrade: false);
        HopByHopHeaders.CopyResponse(response.Content.Headers, connection, context.Response.Headers, keepUpgrade: false);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            while (true)
            {
                var read = source.ReadAsync(buffer, ct);
                // The replica is slow to send its body (an event stream between events): send the header now, as
                // nginx does with proxy_buffering off (ingress-nginx's default); otherwise it goes with the first bytes.
                // (StartAsync alone does not put the header on the wire: the flush does.)
                if (!read.IsCompleted && !context.Response.HasStarted) await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                int n = await read.ConfigureAwait(false);
                if (n == 0) return;
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false); // Kestrel flushes each write
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The replica failed in the middle of the body (or the client left): the client's connection is cut, like nginx does.
            context.Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task RelayUpgradeAsync(HttpContext context, HttpResponseMessage response, IHttpUpgradeFeature? upgrade)
    {
        if (upgrade is null)
        {
            // A 101 nobody asked for: nginx calls that an invalid response.
            await FailAsync(context, HttpStatusCode.BadGateway).ConfigureAwait(false);
            return;
        }
        var connection = HopByHopHeaders.ConnectionOf(response);
        HopByHopHeaders.CopyResponse(response.Headers, connection, context.Response.Headers, keepUpgrade: true);
        var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
        Stream client;
        try
        {
            client = await upgrade.UpgradeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            await upstream.DisposeAsync().ConfigureAwait(false);
            context.Abort();
            return;
        }
        await UpgradeTunnel.RunAsync(context, client, upstream).ConfigureAwait(false);
    }

    private static Task FailAsync(HttpContext context, HttpStatusCode status)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        var body = status == HttpStatusCode.GatewayTimeout ? GatewayTimeout : BadGateway;
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
