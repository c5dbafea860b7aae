using System.Diagnostics;

namespace Lameduck.Cli.Lab.Events;

/// <summary>
/// The lab's timeline: every lifecycle event with the time since the lab started. Thread-safe;
/// optionally echoes each event as it happens (progress on the terminal).
/// </summary>
/// <example>
/// <code>
/// var log = new LabEventLog(Console.Error);
/// log.Record(LabEventKind.ReplicaStarted, "r1", "port 40121 pid 4242");
/// </code>
/// </example>
public sealed class LabEventLog
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly List<LabEvent> _events = [];
    private readonly TextWriter? _echo;

    /// <summary>Creates an empty log; <paramref name="echo"/> receives each event as a line when not null.</summary>
    public LabEventLog(TextWriter? echo = null) => _echo = echo;

    /// <summary>Wall-clock time of the lab's start (the zero of <see cref="LabEvent.At"/>).</summary>
    public DateTimeOffset StartedAt => _startedAt;

    /// <summary>Time since the lab started.</summary>
    public TimeSpan Now => Stopwatch.GetElapsedTime(_startTimestamp);

    /// <summary>A <see cref="Stopwatch"/> timestamp taken elsewhere (e.g. the load's t0), on the lab's clock.</summary>
    public TimeSpan TimeOf(long stopwatchTimestamp) => Stopwatch.GetElapsedTime(_startTimestamp, stopwatchTimestamp);

    /// <summary>The <see cref="Stopwatch"/> timestamp of a time on this log's clock (the inverse of <see cref="TimeOf"/>).</summary>
    public long TimestampOf(TimeSpan at) => _startTimestamp + (long)Math.Round(at.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    /// <summary>Raised after an event is recorded (tests use it to act at a precise moment).</summary>
    public event Action<LabEvent>? Recorded;

    /// <summary>Records an event now, or at <paramref name="at"/> (a time taken just before acting), and returns it.</summary>
    /// <param name="at">
    /// When the event happened, if not now: an action whose effect other threads observe (a signal sent to a process)
    /// is stamped before it is taken, since its effect can be recorded before the call that caused it returns; a
    /// process's exit is stamped by the thread that saw it (<see cref="Replicas.Replica.ExitTimestamp"/>).
    /// </param>
    public LabEvent Record(LabEventKind kind, string subject, string detail = "", TimeSpan? at = null)
    {
        var e = new LabEvent(at ?? Now, kind, subject, detail);
        lock (_events)
        {
            // Kept in time order: an event stamped before acting can be recorded after one that happened meanwhile.
            int i = _events.Count;
            while (i > 0 && _events[i - 1].At > e.At) i--;
            _events.Insert(i, e);
        }
        if (_echo is not null)
        {
            lock (_echo) _echo.WriteLine(e.ToString());
        }
        Recorded?.Invoke(e);
        return e;
    }

    /// <summary>A snapshot of the events so far, in the order they happened.</summary>
    public IReadOnlyList<LabEvent> Snapshot()
    {
        lock (_events) return _events.ToArray();
    }
}
