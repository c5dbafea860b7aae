using Lameduck;
using Lameduck.Budget;
using Lameduck.Diagnostics;
using Lameduck.Hosting;
using Lameduck.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The namespace of IServiceCollection, as for every AddX extension: builder.Services.AddLameduck() needs no using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Lameduck with a generic host (worker services and ASP.NET Core alike).</summary>
public static class LameduckServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the console lifetime with Lameduck's: on SIGTERM/SIGINT/SIGQUIT the process becomes a lame
    /// duck (readiness fails, <see cref="ILameduck.Draining"/> fires), then drains within the shutdown budget
    /// and exits 0. Options are bound from configuration section <c>Lameduck</c>, then
    /// <paramref name="configure"/> runs; an impossible budget fails start-up.
    /// <c>HostOptions.ShutdownTimeout</c> is set from the budget; do not set it yourself.
    /// </summary>
    /// <example>
    /// <code>
    /// var builder = Host.CreateApplicationBuilder(args);
    /// builder.Services.AddLameduck(o => o.Delay = TimeSpan.FromSeconds(10));
    /// builder.Services.AddHostedService&lt;Consumer&gt;(); // uses ILameduck.Draining
    /// builder.Build().Run();
    /// </code>
    /// </example>
    public static IServiceCollection AddLameduck(this IServiceCollection services, Action<LameduckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<LameduckOptions>().BindConfiguration(LameduckOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LameduckOptions>, LameduckOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HostOptions>, ShutdownTimeoutFromBudget>());

        if (services.Any(d => d.ServiceType == typeof(LameduckState)))
        {
            return services; // already added: options configured again above, nothing else to do
        }
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LameduckState>();
        services.AddSingleton<ILameduck>(sp => sp.GetRequiredService<LameduckState>());
        services.AddSingleton<LameduckMetrics>();
        // Last registration wins: this replaces ConsoleLifetime (or any lifetime added before).
        services.AddSingleton<LameduckHostLifetime>();
        services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<LameduckHostLifetime>());
        services.AddHostedService<DrainObserver>();
        return services;
    }
}
