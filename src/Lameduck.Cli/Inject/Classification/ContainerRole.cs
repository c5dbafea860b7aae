using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Text;

namespace Lameduck.Cli.Inject.Classification;

/// <summary>What a container is, for the mutation: each kind gets its own fix (docs/inject.md, "What each mutation does").</summary>
internal abstract record ContainerRole
{
    /// <summary>How the status annotation names what the container is once injected (the same before and after).</summary>
    public abstract string Status { get; }

    /// <summary>What the container needs after SIGTERM's arrival and before SIGKILL, preStop included; zero for a skipped one.</summary>
    public virtual TimeSpan Needs => TimeSpan.Zero;

    protected static string Show(TimeSpan t) => DurationText.Format(t);
}

/// <summary>A .NET service using the Lameduck library: its budget variables come from the pod spec.</summary>
/// <param name="PreStop">How long its preStop hook sleeps (zero without one).</param>
/// <param name="Delay">Its lame-duck window: the annotation's, <c>Lameduck__Delay</c>, or the library's default.</param>
/// <param name="Margin">Its <c>Lameduck__SafetyMargin</c> or the library's default.</param>
/// <param name="WriteDelay">True when <paramref name="Delay"/> must be written (the annotation asks for it, or the declared one is zero: no lame duck at all).</param>
internal sealed record LibraryRole(TimeSpan PreStop, TimeSpan Delay, TimeSpan Margin, bool WriteDelay) : ContainerRole
{
    public override string Status => "library";

    public override TimeSpan Needs => PreStop + Delay + Margin + ShutdownFacts.MinimumDrain;
}

/// <summary>A container whose process is already lameduck-init (baked in, or injected before).</summary>
/// <param name="Command">Its lameduck-init, as lameduck-init reads it.</param>
/// <param name="PreStop">How long its preStop hook sleeps (zero without one).</param>
/// <param name="Delay">Its <c>--delay</c> / <c>LAMEDUCK_DELAY</c>, or lameduck-init's default.</param>
/// <param name="Margin">Its <c>--margin</c> / <c>LAMEDUCK_MARGIN</c>, or lameduck-init's default.</param>
/// <param name="Preset">Its <c>--preset</c> / <c>LAMEDUCK_PRESET</c>, if named.</param>
/// <param name="WriteDelay">True when <paramref name="Delay"/> must be written (the annotation asks for it, or the declared one is zero).</param>
internal sealed record InitRole(LameduckInitCommand Command, TimeSpan PreStop, TimeSpan Delay, TimeSpan Margin, string? Preset, bool WriteDelay) : ContainerRole
{
    public override string Status => Preset is null ? "lameduck-init" : $"lameduck-init (preset {Preset})";

    public override TimeSpan Needs => PreStop + Delay + Margin + ShutdownFacts.MinimumDrain;
}

/// <summary>A server with a lameduck-init preset (or an app named <c>lameduck-init</c> in the annotation), to be run under lameduck-init with its own start command.</summary>
/// <param name="Preset">lameduck-init's preset for it; null for an app without one (it gets SIGTERM after the lame duck).</param>
/// <param name="StartCommand">The full argv the container runs today (its command/args, or its image's ENTRYPOINT and CMD).</param>
/// <param name="PreStop">How long its preStop hook sleeps (zero without one); the hook is kept.</param>
/// <param name="Delay">The lame-duck window it will get (the annotation's, or lameduck-init's default).</param>
/// <param name="WriteDelay">True when the annotation asks for <paramref name="Delay"/> (else lameduck-init's default applies unwritten).</param>
internal sealed record ServerRole(string? Preset, IReadOnlyList<string> StartCommand, TimeSpan PreStop, TimeSpan Delay, bool WriteDelay) : ContainerRole
{
    public override string Status => Preset is null ? "lameduck-init" : $"lameduck-init (preset {Preset})";

    public override TimeSpan Needs => PreStop + Delay + ShutdownFacts.InitMargin + ShutdownFacts.MinimumDrain;
}

/// <summary>What becomes of a container's preStop hook.</summary>
internal enum PreStopAction
{
    /// <summary>It has none: add a sleep.</summary>
    Add,

    /// <summary>It already sleeps and can run: keep it.</summary>
    Keep,

    /// <summary>
    /// Replace it with inject's own sleep: it sleeps through a shell or binary the image lacks (lint LD003), or it is
    /// a plain sleep of another length than <c>lameduck.dev/delay</c> asks for.
    /// </summary>
    Replace,
}

/// <summary>How inject writes a preStop sleep.</summary>
internal enum SleepHook
{
    /// <summary><c>lifecycle.preStop.sleep.seconds</c>: the kubelet sleeps (Kubernetes 1.30+).</summary>
    Native,

    /// <summary><c>exec: [/lameduck/lameduck-init, sleep, 5s]</c>, the binary copied in by an init container (glibc images).</summary>
    LameduckInit,

    /// <summary><c>exec: [sleep, "5"]</c>, the image's own busybox (Alpine images, where lameduck-init cannot run).</summary>
    ImageSleep,
}

/// <summary>Anything else: a preStop sleep holds SIGTERM back while endpoint removal propagates.</summary>
/// <param name="Action">What happens to its hook.</param>
/// <param name="Sleep">The sleep it will have: the one it has (Keep), or the one inject writes (Add, Replace).</param>
/// <param name="Hook">How inject writes the sleep (Add, Replace).</param>
internal sealed record PreStopRole(PreStopAction Action, TimeSpan Sleep, SleepHook Hook) : ContainerRole
{
    public override string Status => $"preStop sleep {Show(Sleep)}";

    public override TimeSpan Needs => Sleep + ShutdownFacts.InitMargin + ShutdownFacts.MinimumDrain;
}

/// <summary>A container inject cannot understand, left alone.</summary>
/// <param name="Reason">Why, in a sentence a user can act on.</param>
/// <param name="PreStopSleep">How long its preStop hook sleeps, when known: the pod's grace period must still cover it (lint LD001).</param>
internal sealed record SkipRole(string Reason, TimeSpan? PreStopSleep = null) : ContainerRole
{
    public override string Status => $"left alone: {Reason}";

    public override TimeSpan Needs => PreStopSleep is { } sleep && sleep > TimeSpan.Zero ? sleep + ShutdownFacts.InitMargin + ShutdownFacts.MinimumDrain : TimeSpan.Zero;
}
