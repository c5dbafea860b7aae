using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Lameduck.AspNetCore.Probes;

/// <summary>Unhealthy from the start of the lame-duck window (unless <c>Readiness = KeepServing</c>).</summary>
internal sealed class LameduckReadinessHealthCheck(ILameduck lameduck, IOptions<LameduckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReadinessVerdict.IsReady(lameduck, options.Value.Readiness)
            ? HealthCheckResult.Healthy($"Lameduck: {lameduck.Phase}")
            : HealthCheckResult.Unhealthy($"Lameduck: {lameduck.Phase}, shutting down"));
}
