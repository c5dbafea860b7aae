using Lameduck.Cli.Lint.Knowledge;
using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Budget;
using Lameduck.Contract.Presets;

namespace Lameduck.Cli.Inject.Classification;

/// <summary>
/// Every shutdown fact inject relies on, read from the shutdown contract (src/Shared/Contract/) and lint's knowledge of
/// images, gathered here so that the classifier names no source twice. Nothing here is a new copy of a default except
/// <see cref="MinimumDrain"/>, which no other part needs.
/// </summary>
internal static class ShutdownFacts
{
    /// <summary>The lame-duck window of the library and of lameduck-init when none is declared (5 s).</summary>
    public static TimeSpan LibraryDelay => ShutdownDefaults.Delay;

    /// <summary>The library's <c>SafetyMargin</c> default (2 s).</summary>
    public static TimeSpan LibrarySafetyMargin => ShutdownDefaults.SafetyMargin;

    /// <summary>lameduck-init's default <c>--delay</c> (5 s).</summary>
    public static TimeSpan InitDelay => ShutdownDefaults.Delay;

    /// <summary>lameduck-init's default <c>--margin</c> (2 s), which inject keeps for preStop sleeps too, as lint's LD002 does.</summary>
    public static TimeSpan InitMargin => ShutdownDefaults.SafetyMargin;

    /// <summary>Kubernetes' default <c>terminationGracePeriodSeconds</c> (30).</summary>
    public static long DefaultGracePeriodSeconds => (long)ShutdownDefaults.GracePeriod.TotalSeconds;

    /// <summary>
    /// Time left for the drain when inject has to raise <c>terminationGracePeriodSeconds</c>: the grace period
    /// becomes preStop + delay + margin + this. 10 s, the room lint's LD002 fix asks for ("at least N + 10").
    /// </summary>
    public static readonly TimeSpan MinimumDrain = TimeSpan.FromSeconds(10);

    /// <summary>The preset server a container runs (nginx, php-fpm, HAProxy, Apache) by command or image: lint's <see cref="Servers"/>, over the contract's presets.</summary>
    public static (ServerPreset Server, Lint.Input.YamlNode Where)? ServerIn(Container container) => Servers.Detect(container);

    /// <summary>The official image the container runs (its start command, STOPSIGNAL and defaults), or null.</summary>
    public static OfficialImage? OfficialImageOf(ImageReference image) => ServerPresets.OfficialImageOf(image)?.Image;

    /// <summary>Why the image has no shell (lint's <see cref="KnownImages.ShellLessReason"/>), or null.</summary>
    public static string? ShellLessReason(ImageReference image) => KnownImages.ShellLessReason(image);

    /// <summary>Process managers that stop their programs with their own signal (lint's <see cref="Supervisors"/>).</summary>
    public static bool IsSupervisor(string program) => Supervisors.RewritingStopSignal.Contains(program);
}
