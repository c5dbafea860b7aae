using Lameduck.Init.Presets;
using Lameduck.Init.Signals;

namespace Lameduck.Init.Options;

/// <summary>Everything lameduck-init was told, after flags and LAMEDUCK_* variables are merged and checked.</summary>
internal sealed class InitOptions
{
    public Preset? Preset { get; init; }

    /// <summary>True when <see cref="Preset"/> came from the command's name rather than --preset.</summary>
    public bool PresetGuessed { get; init; }

    /// <summary>Signal sent after the lame-duck window: --stop-signal, else the preset's, else TERM.</summary>
    public int StopSignal { get; init; } = SignalNames.SIGTERM;

    /// <summary>
    /// Signals that start the shutdown sequence instead of being forwarded: TERM, and the stop signal,
    /// because Kubernetes sends the image's STOPSIGNAL (SIGQUIT in the official nginx and php-fpm images).
    /// </summary>
    public IReadOnlyList<int> TermSignals { get; init; } = [SignalNames.SIGTERM];

    /// <summary>Lame-duck window after SIGTERM while the app keeps serving.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Local TCP port whose request bytes are watched; null disables the early end.</summary>
    public int? DrainPort { get; init; }

    /// <summary>With <see cref="DrainPort"/>: the window ends once no request bytes arrived on the port for this long.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>With <see cref="DrainPort"/>: the window never ends before this (the library's <c>MinDelay</c>; never more than <see cref="Delay"/>).</summary>
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The pod's terminationGracePeriodSeconds; counted from SIGTERM.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before the grace period ends lameduck-init SIGKILLs the process group itself.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Report a child ended by SIGTERM (143) as success (0).</summary>
    public bool Exit143As0 { get; init; }

    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Time after SIGTERM at which the process group gets SIGKILL.</summary>
    public TimeSpan KillAfter => GracePeriod - Margin;
}
