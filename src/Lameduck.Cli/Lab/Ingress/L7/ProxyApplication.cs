using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// Kestrel's application for the l7 ingress: every request goes to the <see cref="RequestForwarder"/>.
/// Kestrel is run without a host (no DI container, no logging, no console lifetime that would take the
/// lab's Ctrl-C); like ASP.NET Core's own hosting, one <see cref="DefaultHttpContext"/> is reused per
/// connection.
/// </summary>
internal sealed class ProxyApplication(RequestForwarder forwarder) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is not IHostContextContainer<HttpContext> container) return new DefaultHttpContext(contextFeatures);
        if (container.HostContext is DefaultHttpContext reused)
        {
            reused.Initialize(contextFeatures);
            return reused;
        }
        var created = new DefaultHttpContext(contextFeatures);
        container.HostContext = created;
        return created;
    }

    public Task ProcessRequestAsync(HttpContext context) => forwarder.ForwardAsync(context);

    public void DisposeContext(HttpContext context, Exception? exception) => ((DefaultHttpContext)context).Uninitialize();
}
