using System.Globalization;
using Lameduck.Cli.Lint.Input;
using Lameduck.Contract.Budget;
using Lameduck.Text;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A shutdown duration a container declares to Lameduck or lameduck-init: the lame-duck delay, the grace period it plans with.</summary>
/// <param name="Value">The duration; null when declared but unreadable (e.g. taken from a Secret).</param>
/// <param name="Node">Where it is declared.</param>
/// <param name="Source">How messages name the declaration: <c>env Lameduck__Delay</c>, <c>lameduck-init --delay</c>.</param>
internal sealed record DeclaredDuration(TimeSpan? Value, YamlNode Node, string Source)
{
    /// <summary>
    /// The delay a container declares, looked up in this order: the Lameduck library's configuration
    /// (<c>Lameduck__Delay</c>, a .NET TimeSpan such as <c>00:00:05</c>; configuration keys ignore case),
    /// lameduck-init's <c>LAMEDUCK_DELAY</c> variable and <c>--delay</c> flag (<c>5s</c>, <c>1m30s</c>),
    /// lameduck-init's default of 5 s when it runs without either, and the library's default
    /// (<see cref="Lameduck.Options.LameduckOptions.Delay"/>, 5 s) when the container sets another Lameduck option
    /// (<c>Lameduck__GracePeriod</c>...): an app configured through that section uses the library.
    /// Variables may come from ConfigMaps named by <c>envFrom</c>.
    /// </summary>
    public static DeclaredDuration? DelayOf(Container container, Workload workload, ManifestSet set)
    {
        if (ContainerEnvironment.Find(container, workload, set, ContainerEnvironment.LameduckOption("Delay")) is { } library)
        {
            return new DeclaredDuration(ParseTimeSpan(library.Value), library.Node, library.Source);
        }
        if (ContainerEnvironment.Find(container, workload, set, n => n == "LAMEDUCK_DELAY") is { } init)
        {
            TimeSpan? parsed = init.Value is not null && DurationText.TryParse(init.Value.Value, out var t, out _) ? t : null;
            return new DeclaredDuration(parsed, init.Node, init.Source);
        }
        if (LameduckInitArgs.From(container) is not { } initArgs)
        {
            var option = ContainerEnvironment.Find(container, workload, set, n => n.StartsWith("Lameduck__", StringComparison.OrdinalIgnoreCase));
            return option is null ? null : new DeclaredDuration(ShutdownDefaults.Delay, option.Node, $"the Lameduck library's default Delay (it reads {option.Source})");
        }
        if (initArgs["--delay"] is var (flag, text))
        {
            TimeSpan? parsed = DurationText.TryParse(text, out var t, out _) ? t : null;
            return new DeclaredDuration(parsed, flag, "lameduck-init --delay");
        }
        return new DeclaredDuration(ShutdownDefaults.Delay, initArgs.Program, $"lameduck-init's default --delay {DurationText.Format(ShutdownDefaults.Delay)}");
    }

    /// <summary>
    /// The grace period the container's shutdown code plans with: the library's <c>Lameduck__GracePeriod</c>,
    /// lameduck-init's <c>LAMEDUCK_GRACE_PERIOD</c> or <c>--grace-period</c>. Null when none is declared
    /// (both default to 30 s, Kubernetes' default).
    /// </summary>
    public static DeclaredDuration? GracePeriodOf(Container container, Workload workload, ManifestSet set)
    {
        if (ContainerEnvironment.Find(container, workload, set, ContainerEnvironment.LameduckOption("GracePeriod")) is { } library)
        {
            return new DeclaredDuration(ParseTimeSpan(library.Value), library.Node, library.Source);
        }
        if (LameduckInitArgs.From(container) is not { } initArgs) return null;
        if (initArgs["--grace-period"] is var (flag, text))
        {
            return new DeclaredDuration(DurationText.TryParse(text, out var t, out _) ? t : null, flag, "lameduck-init --grace-period");
        }
        if (ContainerEnvironment.Find(container, workload, set, n => n == "LAMEDUCK_GRACE_PERIOD") is { } init)
        {
            TimeSpan? parsed = init.Value is not null && DurationText.TryParse(init.Value.Value, out var t, out _) ? t : null;
            return new DeclaredDuration(parsed, init.Node, init.Source);
        }
        return null;
    }

    /// <summary>
    /// A TimeSpan as .NET configuration binding reads it: <c>TimeSpan.Parse</c> with the invariant culture
    /// (<c>00:00:05</c>, <c>5.00:00</c>; beware, <c>5</c> is five days). Null when unreadable.
    /// </summary>
    public static TimeSpan? ParseTimeSpan(YamlScalar? value) =>
        value is not null && TimeSpan.TryParse(value.Value, CultureInfo.InvariantCulture, out var t) ? t : null;
}
