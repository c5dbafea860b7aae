using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lameduck.Budget;

/// <summary>
/// Sets <see cref="HostOptions.ShutdownTimeout"/> to the budget's drain timeout. A post-configuration, so it
/// applies after the host's own binding of <c>shutdownTimeoutSeconds</c>: the budget is the single source.
/// </summary>
/// <remarks>
/// The host reads <see cref="HostOptions"/> while it is being built, before start-up validation. Reading
/// <c>IOptions&lt;LameduckOptions&gt;.Value</c> here would run the validator then and turn a bad budget into
/// an exception out of <c>Build()</c>; instead the options are composed without validation, and a bad
/// budget is left to <c>ValidateOnStart</c>, which reports it from <c>Run()</c> with the full message.
/// </remarks>
internal sealed class ShutdownTimeoutFromBudget(
    IEnumerable<IConfigureOptions<LameduckOptions>> configures,
    IEnumerable<IPostConfigureOptions<LameduckOptions>> postConfigures) : IPostConfigureOptions<HostOptions>
{
    public void PostConfigure(string? name, HostOptions options)
    {
        var lameduck = new LameduckOptions();
        try
        {
            Compose(lameduck);
        }
        catch (InvalidOperationException)
        {
            return; // a value that does not bind (e.g. Lameduck__Delay=abc) is reported at start-up by the host lifetime
        }
        if (ShutdownBudget.Problems(lameduck).Count == 0)
        {
            options.ShutdownTimeout = ShutdownBudget.From(lameduck).DrainTimeout;
        }
    }

    private void Compose(LameduckOptions lameduck)
    {
        foreach (var configure in configures)
        {
            if (configure is IConfigureNamedOptions<LameduckOptions> named)
            {
                named.Configure(Microsoft.Extensions.Options.Options.DefaultName, lameduck);
            }
            else
            {
                configure.Configure(lameduck);
            }
        }
        foreach (var postConfigure in postConfigures)
        {
            postConfigure.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, lameduck);
        }
    }
}
