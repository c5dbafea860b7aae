namespace Lameduck.Cli.Verify.Results;

/// <summary>
/// What was run: the settings a report needs besides the request records. Written as <c>meta</c> rows at the
/// top (target, method, rate, duration, start) and bottom (attack duration, interrupted) of a results file.
/// </summary>
public sealed record RunInfo
{
    /// <summary>Target URL.</summary>
    public required string Target { get; init; }
    /// <summary>HTTP method.</summary>
    public string Method { get; init; } = "GET";
    /// <summary>Requested rate, requests per second.</summary>
    public required double TargetRate { get; init; }
    /// <summary>Requested duration of the attack.</summary>
    public required TimeSpan TargetDuration { get; init; }
    /// <summary>Wall-clock time of t0 (UTC).</summary>
    public required DateTimeOffset StartedUtc { get; init; }
    /// <summary>How long scheduling actually ran, in microseconds (shorter than the target when interrupted).</summary>
    public long AttackDurationUs { get; init; }
    /// <summary>True when the run was stopped early (Ctrl-C, SIGTERM or the caller's token).</summary>
    public bool Interrupted { get; init; }
}
