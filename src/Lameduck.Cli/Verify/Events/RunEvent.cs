namespace Lameduck.Cli.Verify.Events;

/// <summary>
/// Something that happened during a run and belongs on its timeline: the <c>--during</c> command's start
/// and exit, or whatever a caller such as the lab records ("replica 2 started", "SIGTERM sent to pid 123").
/// </summary>
/// <param name="AtUs">Microseconds since the start of the run (the same clock as request records).</param>
/// <param name="Name">Short label shown as a marker, e.g. <c>during: start</c>.</param>
/// <param name="Detail">Optional longer text (a command line, an exit code); null when none.</param>
public sealed record RunEvent(long AtUs, string Name, string? Detail = null)
{
    /// <summary>Seconds since the start of the run.</summary>
    public double AtSeconds => AtUs / 1_000_000.0;
}
