namespace Lameduck.AspNetCore.Probes;

/// <summary>Marks the probe endpoints so the middleware does not count probes as traffic for the quiet period.</summary>
internal sealed class ProbeEndpointMetadata
{
    public static readonly ProbeEndpointMetadata Instance = new();
}
