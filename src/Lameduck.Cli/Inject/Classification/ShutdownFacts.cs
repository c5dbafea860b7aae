using Lameduck.Cli.Lint.Knowledge;
using Lameduck.Cli.Lint.Model;
using Lameduck.Cli.Lint.Rules.Budget;
using Lameduck.Options;

namespace Lameduck.Cli.Inject.Classification;

/// <summary>
/// Every shutdown fact inject relies on, taken from where the project keeps it today and gathered here so that
/// it can be re-pointed in one place when those facts move to the shared contract (src/Shared/). Nothing here
/// is a new copy of a default except <see cref="MinimumDrain"/>, which no other part needs.
/// </summary>
internal static class ShutdownFacts
{
    private static readonly LameduckOptions LibraryDefaults = new();

    /// <summary>The Lameduck library's default lame-duck window (<see cref="LameduckOptions.Delay"/>, 5 s).</summary>
    public static TimeSpan LibraryDelay => LibraryDefaults.Delay;

    /// <summary>The Lameduck library's default margin before SIGKILL (<see cref="LameduckOptions.SafetyMargin"/>, 2 s).</summary>
    public static TimeSpan LibrarySafetyMargin => LibraryDefaults.SafetyMargin;

    /// <summary>lameduck-init's default <c>--delay</c> as lint knows it (<see cref="LameduckInitArgs.DefaultDelay"/>, 5 s).</summary>
    public static TimeSpan InitDelay => LameduckInitArgs.DefaultDelay;

    /// <summary>
    /// The margin lint's budget rule (LD002) keeps after the sleeps, which is lameduck-init's default <c>--margin</c>
    /// (<see cref="DelayExceedsGracePeriod.MarginSeconds"/>, 2 s); inject keeps it for preStop sleeps too.
    /// </summary>
    public static TimeSpan InitMargin => TimeSpan.FromSeconds(DelayExceedsGracePeriod.MarginSeconds);

    /// <summary>Kubernetes' default <c>terminationGracePeriodSeconds</c> (<see cref="PodSpec.DefaultGracePeriodSeconds"/>, 30).</summary>
    public static long DefaultGracePeriodSeconds => PodSpec.DefaultGracePeriodSeconds;

    /// <summary>
    /// Time left for the drain when inject has to raise <c>terminationGracePeriodSeconds</c>: the grace period
    /// becomes preStop + delay + margin + this. 10 s, the room lint's LD002 fix asks for ("at least N + 10").
    /// </summary>
    public static readonly TimeSpan MinimumDrain = TimeSpan.FromSeconds(10);

    /// <summary>The server a container runs (nginx, php-fpm, HAProxy, Apache) by command or image: lint's <see cref="Servers"/>.</summary>
    public static (Server Server, Lint.Input.YamlNode Where)? ServerIn(Container container) => Servers.Detect(container);

    /// <summary>Why the image has no shell (lint's <see cref="KnownImages.ShellLessReason"/>), or null.</summary>
    public static string? ShellLessReason(ImageReference image) => KnownImages.ShellLessReason(image);

    /// <summary>Process managers that stop their programs with their own signal (lint's <see cref="Supervisors"/>).</summary>
    public static bool IsSupervisor(string program) => Supervisors.RewritingStopSignal.Contains(program);
}
