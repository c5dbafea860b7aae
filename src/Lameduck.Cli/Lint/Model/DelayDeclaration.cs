using System.Globalization;
using Lameduck.Cli.Lint.Input;
using Lameduck.Text;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A lame-duck delay a container declares: the window it keeps serving after SIGTERM.</summary>
/// <param name="Value">The delay; null when declared but unreadable (e.g. taken from a Secret).</param>
/// <param name="Node">Where it is declared.</param>
/// <param name="Source">How messages name the declaration: <c>env Lameduck__Delay</c>, <c>lameduck-init --delay</c>.</param>
internal sealed record DelayDeclaration(TimeSpan? Value, YamlNode Node, string Source)
{
    /// <summary>
    /// The delay a container declares, looked up in this order: the Lameduck library's configuration
    /// (<c>Lameduck__Delay</c>, a .NET TimeSpan such as <c>00:00:05</c>; configuration keys ignore case),
    /// lameduck-init's <c>LAMEDUCK_DELAY</c> variable and <c>--delay</c> flag (<c>5s</c>, <c>1m30s</c>).
    /// Variables may come from ConfigMaps named by <c>envFrom</c>.
    /// </summary>
    public static DelayDeclaration? Find(Container container, Workload workload, ManifestSet set)
    {
        if (ContainerEnvironment.Find(container, workload, set, ContainerEnvironment.LameduckOption("Delay")) is { } library)
        {
            return new DelayDeclaration(ParseTimeSpan(library.Value), library.Node, library.Source);
        }
        if (ContainerEnvironment.Find(container, workload, set, n => n == "LAMEDUCK_DELAY") is { } init)
        {
            TimeSpan? parsed = init.Value is not null && DurationText.TryParse(init.Value.Value, out var t, out _) ? t : null;
            return new DelayDeclaration(parsed, init.Node, init.Source);
        }
        return container.RunsUnderLameduckInit ? FromInitFlags(container) : null;
    }

    /// <summary>
    /// A TimeSpan as .NET configuration binding reads it: <c>TimeSpan.Parse</c> with the invariant culture
    /// (<c>00:00:05</c>, <c>5.00:00</c>; beware, <c>5</c> is five days). Null when unreadable.
    /// </summary>
    public static TimeSpan? ParseTimeSpan(YamlScalar? value) =>
        value is not null && TimeSpan.TryParse(value.Value, CultureInfo.InvariantCulture, out var t) ? t : null;

    private static DelayDeclaration? FromInitFlags(Container container)
    {
        var argv = container.Argv.ToList();
        for (int i = 1; i < argv.Count && argv[i].Value != "--"; i++)
        {
            var word = argv[i].Value;
            string? text = word == "--delay" && i + 1 < argv.Count ? argv[i + 1].Value
                : word.StartsWith("--delay=", StringComparison.Ordinal) ? word["--delay=".Length..] : null;
            if (text is null) continue;
            TimeSpan? parsed = DurationText.TryParse(text, out var t, out _) ? t : null;
            return new DelayDeclaration(parsed, argv[i], "lameduck-init --delay");
        }
        return null;
    }
}
