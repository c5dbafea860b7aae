using Lameduck.AspNetCore.Probes;

// The namespace of IHealthChecksBuilder: AddHealthChecks().AddLameduckReadiness() needs no using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Readiness for services that already use ASP.NET Core health checks.</summary>
public static class LameduckHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that turns Unhealthy (503 from <c>MapHealthChecks</c>) when the lame-duck window starts,
    /// unless <c>Readiness = KeepServing</c>. Tag it so only the readiness endpoint runs it.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddLameduck();
    /// builder.Services.AddHealthChecks().AddLameduckReadiness(tags: ["ready"]);
    /// app.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddLameduckReadiness(this IHealthChecksBuilder builder, string name = "lameduck", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<LameduckReadinessHealthCheck>(name, failureStatus: null, tags: tags ?? ["ready"]);
    }
}
