using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lameduck.AspNetCore.Probes;

/// <summary>The two probe endpoints.</summary>
internal static class LameduckProbeEndpoints
{
    public static IEndpointConventionBuilder[] Map(IEndpointRouteBuilder endpoints, string livePath, string readyPath)
    {
        var lameduck = endpoints.ServiceProvider.GetService<ILameduck>()
            ?? throw new InvalidOperationException("MapLameduckProbes needs Lameduck's services: call builder.Services.AddLameduck() first.");
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<LameduckOptions>>();

        var live = endpoints.MapGet(livePath, static () => Results.Text("live"))
            .WithMetadata(ProbeEndpointMetadata.Instance)
            .WithDisplayName("Lameduck liveness");
        // The body says the phase and the work in flight: handy for humans and for tests that must wait
        // until a request has really arrived. Probes themselves are not counted.
        var ready = endpoints.MapGet(readyPath, () => ReadinessVerdict.IsReady(lameduck, options.Value.Readiness)
                ? Results.Text($"ready: {Describe(lameduck.Phase)}, {lameduck.InFlight} in flight")
                : Results.Text($"not ready: {Describe(lameduck.Phase)}, {lameduck.InFlight} in flight", statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithMetadata(ProbeEndpointMetadata.Instance)
            .WithDisplayName("Lameduck readiness");
        return [live, ready];
    }

    private static string Describe(LameduckPhase phase) => phase switch
    {
        LameduckPhase.Serving => "serving",
        LameduckPhase.LameDuck => "lame duck",
        LameduckPhase.Draining => "draining",
        _ => "stopped",
    };
}
