using Lameduck.Cli.Lint.Knowledge;
using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Presets;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lint.Rules.Signals;

/// <summary>LD004: nginx, php-fpm, HAProxy or Apache stopped by SIGTERM (their fast, dropping shutdown).</summary>
internal sealed class NoGracefulStop : ContainerRule
{
    public override string Id => "LD004";
    public override string Name => "ServerStoppedWithoutGracefulSignal";
    public override Severity Severity => Severity.Warning;
    public override string Summary => "nginx, php-fpm, HAProxy or httpd runs with no way to receive its graceful stop signal.";

    public override string Why =>
        "Kubernetes stops a container with SIGTERM unless the image declares another STOPSIGNAL. For nginx and php-fpm " +
        "SIGTERM means fast shutdown: open connections are closed and in-flight requests fail (502/503, resets). Their " +
        "graceful stop is SIGQUIT; HAProxy's is SIGUSR1 and Apache's SIGWINCH. The official nginx, php-fpm, httpd and " +
        "haproxy images declare the right STOPSIGNAL, but custom images (e.g. ubuntu + apt-get install nginx), other " +
        "vendors' images and entrypoint scripts that keep a shell as PID 1 do not.";

    public override string FixYaml => """
        # Best: run the server under lameduck-init, which turns SIGTERM into the graceful signal after a delay
        command: ["/lameduck/lameduck-init", "--delay", "5s", "--", "nginx", "-g", "daemon off;"]
        # Or send the graceful signal yourself and wait for the server to exit
        lifecycle:
          preStop:
            exec:
              command: ["/bin/sh", "-c", "sleep 5; nginx -s quit; while pgrep -x nginx >/dev/null; do sleep 1; done"]
        # Or (Kubernetes >= 1.33, ContainerStopSignals) set the stop signal
        lifecycle:
          stopSignal: SIGQUIT
        """;

    public override string NotReported =>
        "Servers lameduck-init has no preset for, official images whose tag declares the graceful STOPSIGNAL (also through mirrors and pull-through caches), servers under lameduck-init or an init that forwards signals, and containers whose command replaces the image's start with something that is not the server (e.g. sleep infinity on an nginx image): the server may not run there at all.";

    protected override IEnumerable<Finding> Check(Workload workload, Container container, LintContext context)
    {
        if (Servers.Detect(container) is not var (server, where)) yield break;
        if (HasGracefulPath(container, server)) yield break;

        var graceful = SignalTable.Name(server.GracefulStopSignal);
        var stopSignal = container.StopSignal is { } s ? SignalTable.Normalize(s.Value) : null;
        var why = stopSignal is not null
            ? $"lifecycle.stopSignal is SIG{stopSignal}, not {graceful}"
            : ImageSignalLost(container)
                ? $"the image's STOPSIGNAL reaches the shell or supervisor that starts {server.DisplayName}, not {server.DisplayName}"
                : container.Image is { } image && ServerPresets.OfficialImageOf(image) is var (_, official)
                    ? $"it will get the image's default STOPSIGNAL {SignalTable.Name(official.StopSignalFor(image.Tag))} ({image.Name}:{image.Tag}; {official.StopSignalHistory})"
                    : "it will get SIGTERM (no graceful preStop, no lameduck-init, no stopSignal, image not known to declare one)";
        yield return Report(workload.Object, container, where,
            $"{server.DisplayName} stops gracefully only on {graceful}, but {why}: SIGTERM drops its open connections",
            $"run it under lameduck-init, or add a preStop that runs '{server.GracefulCommand}' and waits for exit" +
            (context.KubeVersion >= KubeVersion.StopSignalField ? $", or set lifecycle.stopSignal: {graceful}" : ""));
    }

    private static bool HasGracefulPath(Container container, ServerPreset server)
    {
        var graceful = SignalTable.ShortName(server.GracefulStopSignal);
        if (container.RunsUnderLameduckInit) return true;
        if (container.PreStop?.SignalsSent.Contains(graceful) == true) return true;
        if (container.StopSignal is { } s) return SignalTable.Normalize(s.Value) == graceful;
        return container.Image is { } image && KnownImages.StopSignalOf(image) == graceful && !ImageSignalLost(container);
    }

    // The image's STOPSIGNAL reaches PID 1. It reaches the server when PID 1 is the server or an init that
    // forwards signals (tini, dumb-init, catatonit); not when PID 1 is a shell that did not exec the server
    // ("sh -c 'envsubst ... && nginx ...'") or a process supervisor that stops its programs with its own signal.
    private static bool ImageSignalLost(Container container)
    {
        var argv = container.Argv.Select(a => a.Value).ToList();
        if (argv.Count > 0 && Supervisors.RewritingStopSignal.Contains(ShellWords.BaseName(argv[0]))) return true;
        if (!ShellWords.IsShell(argv)) return false;
        var script = argv.SkipWhile(a => a != "-c").Skip(1).FirstOrDefault();
        return script is not null && !ShellWords.ExecsIntoCommand(script);
    }
}
