using Lameduck.AspNetCore.Probes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Lameduck.AspNetCore.Middleware;

/// <summary>
/// Tracks every request as work in flight (and as an arrival for the quiet period), and from the start of
/// the lame-duck window tells each client to take its next request elsewhere: HTTP/1.x responses carry
/// <c>Connection: close</c> (Kestrel then closes the connection after the response), HTTP/2 and HTTP/3
/// connections get a GOAWAY through <see cref="IConnectionLifetimeNotificationFeature.RequestClose"/>.
/// The decision is taken when the response headers are written, so a request that arrived before the
/// signal but answers during the window is covered too; a response already under way when the window starts
/// (an SSE stream) gets its HTTP/1.x connection closed once it ends. A 101 (upgrade) is left alone: the upgraded connection
/// is no longer HTTP, and its going-away is the app's (<c>GoingAwayWebSocket</c>).
/// </summary>
internal sealed class LameduckMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILameduck _state;
    private readonly Func<object, Task> _onStarting;

    public LameduckMiddleware(RequestDelegate next, ILameduck state)
    {
        _next = next;
        _state = state;
        _onStarting = OnStarting; // one delegate for all requests: no allocation per request
    }

    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(_onStarting, context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<ProbeEndpointMetadata>() is not null)
        {
            // Kubelet probes are not traffic: they must not keep the quiet period from ending.
            await _next(context).ConfigureAwait(false);
            return;
        }
        using var work = _state.BeginWork();
        await _next(context).ConfigureAwait(false);
        if (_state.Phase >= LameduckPhase.LameDuck)
        {
            EndsInTheWindow(context);
        }
    }

    // A response whose headers went out before the window (an SSE stream, a long download) could not carry
    // Connection: close; asking Kestrel to close the connection once this request is done keeps the client's next
    // request (its reconnect) off this pod, as Connection: close would have.
    private static void EndsInTheWindow(HttpContext context)
    {
        if (context.Response.StatusCode == StatusCodes.Status101SwitchingProtocols || !HttpProtocol.IsHttp11(context.Request.Protocol) && !HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            return; // upgraded connections are the app's; HTTP/2 and HTTP/3 got their GOAWAY when the response started
        }
        if (!context.Response.Headers.Connection.ToString().Contains("close", StringComparison.OrdinalIgnoreCase))
        {
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }
    }

    private Task OnStarting(object state)
    {
        if (_state.Phase >= LameduckPhase.LameDuck)
        {
            SayGoingAway((HttpContext)state);
        }
        return Task.CompletedTask;
    }

    private static void SayGoingAway(HttpContext context)
    {
        if (context.Response.StatusCode == StatusCodes.Status101SwitchingProtocols)
        {
            // An upgrade (WebSocket) leaves HTTP: "Connection: close" would replace the 101's "Connection: Upgrade" and
            // fail the handshake (RFC 6455 4.1; HAProxy answers it with a 502). Such a connection is told to go away
            // by the app, e.g. with GoingAwayWebSocket's 1001.
            return;
        }
        var protocol = context.Request.Protocol;
        if (HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol))
        {
            context.Response.Headers.Connection = "close";
        }
        else
        {
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }
    }
}
