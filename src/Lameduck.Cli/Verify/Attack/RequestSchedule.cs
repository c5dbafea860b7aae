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
