using Lameduck;
using Lameduck.AspNetCore.Middleware;
using Lameduck.AspNetCore.Probes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

// The namespace of IApplicationBuilder, as for every UseX/MapX extension: app.UseLameduck() needs no using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds Lameduck to an ASP.NET Core application. Register the services first with <c>builder.Services.AddLameduck()</c>.</summary>
public static class LameduckApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the middleware that tracks in-flight requests and, from the start of the lame-duck window, puts
    /// <c>Connection: close</c> on HTTP/1.x responses and GOAWAY on HTTP/2 connections. Add it first.
    /// </summary>
    /// <example>
    /// <code>
    /// var builder = WebApplication.CreateBuilder(args);
    /// builder.Services.AddLameduck();
    /// var app = builder.Build();
    /// app.UseLameduck();
    /// app.MapLameduckProbes();
    /// app.MapGet("/", () => "hello world");
    /// app.Run();
    /// </code>
    /// </example>
    public static IApplicationBuilder UseLameduck(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<ILameduck>() is null)
        {
            throw new InvalidOperationException("UseLameduck needs Lameduck's services: call builder.Services.AddLameduck() before building the app.");
        }
        return app.UseMiddleware<LameduckMiddleware>();
    }

    /// <summary>
    /// Maps <paramref name="livePath"/> (200 while the process runs) and <paramref name="readyPath"/> (200 while
    /// serving, 503 from the start of the lame-duck window unless <see cref="LameduckOptions.Readiness"/> is
    /// <see cref="ReadinessMode.KeepServing"/>). Probe requests do not count as traffic for the quiet period.
    /// </summary>
    /// <example><code>app.MapLameduckProbes("/live", "/ready").AllowAnonymous();</code></example>
    public static IEndpointConventionBuilder MapLameduckProbes(this IEndpointRouteBuilder endpoints, string livePath = "/healthz/live", string readyPath = "/healthz/ready")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(livePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(readyPath);
        return new ProbeConventionBuilder(LameduckProbeEndpoints.Map(endpoints, livePath, readyPath));
    }
}
