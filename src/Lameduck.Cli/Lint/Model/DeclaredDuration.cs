using System.Globalization;
using Lameduck.Cli.Lint.Input;
using Lameduck.Contract.Budget;
using Lameduck.Contract.Init;
using Lameduck.Text;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A shutdown duration a container declares to Lameduck or lameduck-init: the lame-duck delay, the grace period it plans with.</summary>
/// <param name="Value">The duration; null when declared but unreadable (e.g. taken from a Secret).</param>
/// <param name="Node">Where it is declared.</param>
/// <param name="Source">How messages name the declaration: <c>env Lameduck__Delay</c>, <c>lameduck-init --delay</c>.</param>
internal sealed record DeclaredDuration(TimeSpan? Value, YamlNode Node, string Source)
{
    /// <summary>
    /// The delay a container declares: the Lameduck library's configuration first (<c>Lameduck__Delay</c>, a .NET
    /// TimeSpan such as <c>00:00:05</c>; configuration keys ignore case), then, for a container whose process is
    /// lameduck-init, what lameduck-init itself will use (its <c>--delay</c> flag, which wins over its
    /// <c>LAMEDUCK_DELAY</c> variable, or its default: the shutdown contract's grammar), and last the library's default
    /// (5 s) when the container sets another Lameduck option (<c>Lameduck__GracePeriod</c>...): an app configured
    /// through that section uses the library. Variables may come from ConfigMaps named by <c>envFrom</c>.
    /// </summary>
    public static DeclaredDuration? DelayOf(Container container, Workload workload, ManifestSet set)
    {
        if (ContainerEnvironment.Find(container, workload, set, ContainerEnvironment.LameduckOption("Delay")) is { } library)
        {
            return new DeclaredDuration(ParseTimeSpan(library.Value), library.Node, library.Source);
        }
        if (LameduckInitCommand.From(container, workload, set) is { } init) return init.Duration(InitFlags.Delay);
        var option = ContainerEnvironment.Find(container, workload, set, n => n.StartsWith("Lameduck__", StringComparison.OrdinalIgnoreCase));
        return option is null ? null : new DeclaredDuration(ShutdownDefaults.Delay, option.Node, $"the Lameduck library's default Delay (it reads {option.Source})");
    }

    /// <summary>
    /// The grace period the container's shutdown code plans with: the library's <c>Lameduck__GracePeriod</c>, or
    /// lameduck-init's <c>--grace-period</c> / <c>LAMEDUCK_GRACE_PERIOD</c> (the flag wins, as in lameduck-init).
    /// Null when none is declared (both default to 30 s, Kubernetes' default).
    /// </summary>
    public static DeclaredDuration? GracePeriodOf(Container container, Workload workload, ManifestSet set)
    {
        if (ContainerEnvironment.Find(container, workload, set, ContainerEnvironment.LameduckOption("GracePeriod")) is { } library)
        {
            return new DeclaredDuration(ParseTimeSpan(library.Value), library.Node, library.Source);
        }
        return LameduckInitCommand.From(container, workload, set) is { } init && init.Line[InitFlags.GracePeriod] is not null
            ? init.Duration(InitFlags.GracePeriod)
            : null;
    }

    /// <summary>
    /// A TimeSpan as .NET configuration binding reads it: <c>TimeSpan.Parse</c> with the invariant culture
    /// (<c>00:00:05</c>, <c>5.00:00</c>; beware, <c>5</c> is five days). Null when unreadable.
    /// </summary>
    public static TimeSpan? ParseTimeSpan(YamlScalar? value) =>
        value is not null && TimeSpan.TryParse(value.Value, CultureInfo.InvariantCulture, out var t) ? t : null;
}
