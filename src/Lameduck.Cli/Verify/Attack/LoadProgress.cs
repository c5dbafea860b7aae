namespace Lameduck.Cli.Verify.Attack;

/// <summary>A live snapshot of a run, for progress displays.</summary>
/// <param name="Elapsed">Time since t0.</param>
/// <param name="Scheduled">Requests due so far (sent or saturated).</param>
/// <param name="Completed">Requests whose outcome is recorded.</param>
/// <param name="Errors">Recorded requests without a 2xx/3xx answer.</param>
/// <param name="InFlight">Requests sent and not yet answered.</param>
/// <param name="TotalRequests">Requests the whole schedule holds.</param>
public readonly record struct LoadProgress(TimeSpan Elapsed, long Scheduled, long Completed, long Errors, long InFlight, long TotalRequests)
{
    /// <summary>Achieved sending rate so far (requests per second).</summary>
    public double AchievedRate => Elapsed.TotalSeconds > 0 ? Scheduled / Elapsed.TotalSeconds : 0;
}
