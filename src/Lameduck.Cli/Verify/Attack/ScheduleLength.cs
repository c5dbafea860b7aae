namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// How many requests a run's schedule has: its duration × rate, unless the run is ended early
/// (<see cref="LoadGenerator.EndSchedule"/>), which lowers it to the requests due by then. Shared between the
/// generator and its engine's thread; it only ever shrinks.
/// </summary>
internal sealed class ScheduleLength(long requests)
{
    private long _requests = requests;

    /// <summary>The schedule's requests now.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Ends the schedule after its first <paramref name="requests"/> (no-op if it is already that short).</summary>
    public void EndAt(long requests)
    {
        long seen = Volatile.Read(ref _requests);
        while (requests < seen)
        {
            long was = Interlocked.CompareExchange(ref _requests, requests, seen);
            if (was == seen) return;
            seen = was;
        }
    }
}
