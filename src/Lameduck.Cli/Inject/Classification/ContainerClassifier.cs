using Lameduck.Cli.Inject.Annotations;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Text;
using Lameduck.Contract.Init;
using Lameduck.Contract.Presets;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Inject.Classification;

/// <summary>
/// THE one place that decides what a container is: a .NET service using the Lameduck library, a container
/// already under lameduck-init, a server with a lameduck-init preset (nginx, php-fpm, HAProxy, Apache) whose
/// start command is known, anything else (a preStop sleep), or something inject cannot understand (left alone,
/// with the reason). It reads lint's model and knowledge (through <see cref="ShutdownFacts"/>) and the official
/// images' start commands (<see cref="OfficialImages"/>).
/// </summary>
internal static class ContainerClassifier
{
    // Inits that forward signals to their child. A server under one of them gets lameduck-init's stop signal only
    // through it; replacing it with lameduck-init (which also reaps) is the user's call, not inject's.
    private static readonly HashSet<string> OtherInits = new(StringComparer.Ordinal) { "tini", "tini-static", "dumb-init", "catatonit" };

    /// <summary>Classifies <paramref name="container"/> of <paramref name="workload"/>.</summary>
    /// <param name="request">The workload's annotations: the container's mode, the delay, the Kubernetes version.</param>
    public static ContainerRole Classify(Container container, Workload workload, ManifestSet set, InjectRequest request)
    {
        var role = ClassifyCore(container, workload, set, request);
        // A container left alone still counts for the grace period: a known preStop sleep must fit in it (lint LD001).
        return role is SkipRole { PreStopSleep: null } skip && container.PreStop?.SleepSeconds is > 0 and var s
            ? skip with { PreStopSleep = TimeSpan.FromSeconds(s) }
            : role;
    }

    private static ContainerRole ClassifyCore(Container container, Workload workload, ManifestSet set, InjectRequest request)
    {
        var mode = request.ModeOf(container);
        var delay = request.Delay;
        if (mode == ContainerMode.Skip) return new SkipRole($"{InjectAnnotations.Containers} says skip");
        if (container.Image is null) return new SkipRole("it has no image");
        if (container.Node.Find("<<") is not null) return new SkipRole("it uses a YAML merge key (<<), which inject does not read");

        if (LameduckInitCommand.From(container, workload, set) is { } init) return AlreadyUnderInit(container, init, delay);
        if (mode == ContainerMode.Library || (mode == ContainerMode.Auto && UsesLibrary(container, workload, set))) return Library(container, workload, set, delay);
        if (mode == ContainerMode.LameduckInit) return Server(container, ShutdownFacts.ServerIn(container)?.Server, request);
        if (mode == ContainerMode.Auto && ShutdownFacts.ServerIn(container) is var (server, _)) return Server(container, server, request);
        return PreStop(container, request);
    }

    // Any Lameduck__ configuration key (env, or envFrom a ConfigMap of the input) says the app binds the library's options.
    private static bool UsesLibrary(Container container, Workload workload, ManifestSet set) =>
        ContainerEnvironment.Find(container, workload, set, n => n.StartsWith("Lameduck__", StringComparison.OrdinalIgnoreCase)) is not null;

    private static ContainerRole Library(Container container, Workload workload, ManifestSet set, TimeSpan? delay)
    {
        if (PreStopTime(container) is not { } preStop) return new SkipRole(UnreadableHook(container, "Lameduck__PreStop"));
        TimeSpan declaredDelay = ShutdownFacts.LibraryDelay;
        if (ContainerEnvironment.Find(container, workload, set, ContainerEnvironment.LameduckOption("Delay")) is { } d)
        {
            if (DeclaredDuration.ParseTimeSpan(d.Value) is not { } parsed) return new SkipRole($"{d.Source} is not a value inject can read (a .NET TimeSpan such as 00:00:05)");
            declaredDelay = parsed;
        }
        TimeSpan margin = ShutdownFacts.LibrarySafetyMargin;
        if (ContainerEnvironment.Find(container, workload, set, ContainerEnvironment.LameduckOption("SafetyMargin")) is { } m)
        {
            if (DeclaredDuration.ParseTimeSpan(m.Value) is not { } parsed) return new SkipRole($"{m.Source} is not a value inject can read (a .NET TimeSpan such as 00:00:02)");
            margin = parsed;
        }
        // A declared delay of zero is no lame duck at all (lint LD006): it gets the library's default.
        var effective = delay ?? (declaredDelay == TimeSpan.Zero ? ShutdownFacts.LibraryDelay : declaredDelay);
        return new LibraryRole(preStop, effective, margin, WriteDelay: delay is not null || declaredDelay == TimeSpan.Zero);
    }

    // Read with lameduck-init's own grammar (flag over variable, its defaults), as the binary will run it.
    private static ContainerRole AlreadyUnderInit(Container container, LameduckInitCommand init, TimeSpan? delay)
    {
        if (PreStopTime(container) is not { } preStop) return new SkipRole(UnreadableHook(container, "LAMEDUCK_PRE_STOP"));
        var declared = init.Duration(InitFlags.Delay);
        if (declared.Value is not { } declaredDelay) return new SkipRole($"{declared.Source} is not a duration inject can read (5s, 1m30s)");
        var margin = init.Duration(InitFlags.Margin);
        if (margin.Value is not { } marginValue) return new SkipRole($"{margin.Source} is not a duration inject can read");
        var preset = init.Line[InitFlags.Preset]?.Text ?? ServerPresets.Guess(init.Line.Command)?.Name;
        // A declared delay of zero is no lame duck at all (lint LD006): it gets lameduck-init's default.
        bool zero = declaredDelay == TimeSpan.Zero;
        var effective = delay ?? (zero ? ShutdownFacts.InitDelay : declaredDelay);
        return new InitRole(init, preStop, effective, marginValue, preset, WriteDelay: delay is not null || zero);
    }

    // server is null only when the annotation asks for lameduck-init on an app that is not a known server.
    private static ContainerRole Server(Container container, ServerPreset? server, InjectRequest request)
    {
        var preset = server?.Name;
        var what = preset ?? "the app";
        if (ImageLibc.Of(container.Image!) is not Libc.Glibc and var libc)
        {
            // lameduck-init needs glibc. An official image that declares the graceful STOPSIGNAL only lacks the lame duck: a preStop sleep gives it.
            if (request.ModeOf(container) == ContainerMode.Auto && server is not null &&
                Lint.Knowledge.KnownImages.StopSignalOf(container.Image!) == SignalTable.ShortName(server.GracefulStopSignal))
            {
                return PreStop(container, request);
            }
            return new SkipRole($"lameduck-init needs glibc, and {container.ImageNode!.Value} is {(libc == Libc.Musl ? "a musl (Alpine) image" : "a static image without a C library")}");
        }
        if (StartCommand(container) is not { } argv)
        {
            return new SkipRole(
                $"it runs {what} from {container.ImageNode!.Value}, whose start command inject does not know (it knows the official images'): " +
                $"give the container a command, or name it in {InjectAnnotations.Containers} as prestop");
        }
        var program = ShellWords.BaseName(argv[0]);
        if (ShellWords.IsShell(argv))
        {
            var script = argv.SkipWhile(a => a != "-c").Skip(1).FirstOrDefault();
            if (script is null || !ShellWords.ExecsIntoCommand(script))
            {
                return new SkipRole($"it starts {what} from a shell script that does not exec it, so lameduck-init's stop signal would reach the shell: end the script with 'exec ...'");
            }
        }
        if (ShutdownFacts.IsSupervisor(program)) return new SkipRole($"{program} supervises it and stops it with its own signal; run {what} under lameduck-init from the supervisor's configuration");
        if (OtherInits.Contains(program)) return new SkipRole($"it already runs under {program}; replace {program} with lameduck-init (which also forwards signals and reaps)");
        if (container.PreStop is { } hook && hook.SignalsSent.Count > 0)
        {
            return new SkipRole($"its preStop hook already sends SIG{hook.SignalsSent.First()}, which would stop {what} before lameduck-init's lame duck ends");
        }
        if (PreStopTime(container) is not { } preStop) return new SkipRole(UnreadableHook(container, "LAMEDUCK_GRACE_PERIOD"));
        return new ServerRole(preset, argv, preStop, request.Delay ?? ShutdownFacts.InitDelay, WriteDelay: request.Delay is not null);
    }

    private static ContainerRole PreStop(Container container, InjectRequest request)
    {
        var delay = request.Delay;
        var wanted = WholeSeconds(delay ?? ShutdownFacts.InitDelay);
        var hookKind = SleepHookFor(container.Image!, request);
        if (container.PreStop is not { } hook)
        {
            return hookKind is { } kind ? new PreStopRole(PreStopAction.Add, wanted, kind) : new SkipRole(NoSleepPossible(container, request));
        }
        if (hook.Kind == PreStopKind.Sleep && hook.SleepSeconds == 0)
        {
            // A native sleep of 0 s is no delay at all (lint LD006): it gets the delay.
            return hookKind is { } k0 ? new PreStopRole(PreStopAction.Replace, wanted, k0) : new SkipRole(NoSleepPossible(container, request));
        }
        if (hook.SleepSeconds is not > 0 || hook.SignalsSent.Count > 0)
        {
            return new SkipRole($"it has a preStop hook that is not a plain sleep ({Describe(hook)}); inject does not replace a hook it cannot read");
        }
        var sleep = TimeSpan.FromSeconds(hook.SleepSeconds.Value);
        bool runs = hook.NeedsFromImage is null || ShutdownFacts.ShellLessReason(container.Image!) is null;
        bool ours = hook.Kind == PreStopKind.Sleep || hook.ExecCommand is [var first, "sleep", _] && ShellWords.BaseName(first) == "lameduck-init";
        var replaceWith = !runs ? WholeSeconds(delay ?? sleep) : delay is not null && ours && sleep != wanted ? wanted : (TimeSpan?)null;
        if (replaceWith is null) return new PreStopRole(PreStopAction.Keep, sleep, SleepHook.Native);
        return hookKind is { } k ? new PreStopRole(PreStopAction.Replace, replaceWith.Value, k) : new SkipRole(NoSleepPossible(container, request));
    }

    // The native action from 1.30; before, lameduck-init's sleep where it can run (glibc), busybox's sleep in Alpine images.
    private static SleepHook? SleepHookFor(ImageReference image, InjectRequest request)
    {
        if (request.KubeVersion >= Lint.Rules.KubeVersion.NativeSleepAction) return SleepHook.Native;
        return ImageLibc.Of(image) switch
        {
            Libc.Glibc => SleepHook.LameduckInit,
            Libc.Musl => SleepHook.ImageSleep,
            _ => null,
        };
    }

    private static string NoSleepPossible(Container container, InjectRequest request) =>
        $"Kubernetes {request.KubeVersion} has no native preStop sleep (1.30+), and {container.ImageNode!.Value} has neither a sleep binary nor the glibc lameduck-init needs";

    /// <summary>
    /// The argv the container runs, as Kubernetes builds it: <c>command</c> replaces the image's ENTRYPOINT (and
    /// then its CMD is dropped), <c>args</c> replaces its CMD. Null when that needs an image inject does not know.
    /// </summary>
    public static IReadOnlyList<string>? StartCommand(Container container)
    {
        var command = container.Command.Select(c => c.Value).ToList();
        var args = container.Args.Select(a => a.Value).ToList();
        if (command.Count > 0) return [.. command, .. args];
        if (container.Image is null || ShutdownFacts.OfficialImageOf(container.Image) is not { } image) return null;
        List<string> argv = [.. image.Entrypoint, .. args.Count > 0 ? args : [.. image.Command]];
        return argv.Count > 0 ? argv : null;
    }

    // The time the preStop hook takes: zero without one, its sleep when it is a sleep; null when unknown.
    private static TimeSpan? PreStopTime(Container container) => container.PreStop switch
    {
        null => TimeSpan.Zero,
        { SleepSeconds: { } s } when s >= 0 => TimeSpan.FromSeconds(s),
        _ => null,
    };

    private static string UnreadableHook(Container container, string variable) =>
        $"its preStop hook ({Describe(container.PreStop!)}) takes a time inject cannot read, and {variable} must include it";

    private static string Describe(PreStopHook hook) => hook.Kind switch
    {
        PreStopKind.Exec => $"exec '{string.Join(' ', hook.ExecCommand)}'",
        PreStopKind.Network => "an HTTP or TCP call",
        PreStopKind.Sleep => "a sleep of 0 s",
        _ => "an empty or unknown handler",
    };

    private static TimeSpan WholeSeconds(TimeSpan t) => TimeSpan.FromSeconds(Math.Ceiling(t.TotalSeconds));
}
