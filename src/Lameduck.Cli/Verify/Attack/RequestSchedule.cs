using System.Diagnostics;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>The open-model schedule: request <c>i</c> is due at <c>t0 + i / rate</c>, for the first <see cref="Total"/>.</summary>
internal readonly struct RequestSchedule(long t0, double rate, ScheduleLength length)
{
    private readonly double _periodTicks = Stopwatch.Frequency / rate;

    /// <summary>Start of the run (<see cref="Stopwatch"/> timestamp).</summary>
    public long T0 => t0;

    /// <summary>Number of requests (read afresh each time: <see cref="ScheduleLength.EndAt"/> may shorten it meanwhile).</summary>
    public long Total => length.Requests;

    /// <summary>When request <paramref name="seq"/> is due (<see cref="Stopwatch"/> timestamp).</summary>
    public long Due(long seq) => t0 + (long)(seq * _periodTicks);
}

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
