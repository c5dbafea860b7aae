using Microsoft.AspNetCore.Builder;

namespace Lameduck.AspNetCore.Probes;

/// <summary>Applies conventions (authorization, host filters, ...) to both probe endpoints at once.</summary>
internal sealed class ProbeConventionBuilder(IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
