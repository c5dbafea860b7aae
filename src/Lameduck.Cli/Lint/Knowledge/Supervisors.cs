namespace Lameduck.Cli.Lint.Knowledge;

/// <summary>
/// Process managers that may run as PID 1. Inits (tini, dumb-init, catatonit, lameduck-init) forward the stop
/// signal to the server; supervisors catch it and stop their programs with their own configured signal
/// (SIGTERM unless configured otherwise), so an image's graceful STOPSIGNAL never reaches the server.
/// </summary>
internal static class Supervisors
{
    /// <summary>Supervisors that do not forward the stop signal they receive.</summary>
    public static readonly IReadOnlySet<string> RewritingStopSignal = new HashSet<string>(StringComparer.Ordinal)
    {
        "supervisord", "runsvdir", "s6-svscan", "circusd",
    };
}
