using System.Diagnostics;

namespace Lameduck.Cli.Verify.Events;

/// <summary>
/// Collects timestamped <see cref="RunEvent"/>s on the run's clock. Thread-safe: the load generator,
/// the <c>--during</c> runner and callers such as the lab add events concurrently.
/// </summary>
/// <example>
/// <code>
/// var generator = new LoadGenerator(options);
/// var run = generator.RunAsync(ct);
/// generator.Events.Add("SIGTERM sent", "pid 4242");
/// var result = await run;   // result.Events holds the marker, timed on the run's clock
/// </code>
/// </example>
public sealed class EventRecorder
{
    private readonly List<RunEvent> _events = [];
    private readonly Lock _gate = new();
    private long _t0Timestamp;

    /// <summary>Creates a recorder whose clock starts now; <see cref="Restart"/> moves t0 to the run's start.</summary>
    public EventRecorder() => _t0Timestamp = Stopwatch.GetTimestamp();

    /// <summary>The <see cref="Stopwatch"/> timestamp of t0.</summary>
    public long T0Timestamp => Volatile.Read(ref _t0Timestamp);

    /// <summary>Sets t0 (called by the load generator when the first request is due).</summary>
    internal void Restart(long t0Timestamp) => Volatile.Write(ref _t0Timestamp, t0Timestamp);

    /// <summary>Records <paramref name="name"/> as happening now.</summary>
    public RunEvent Add(string name, string? detail = null) => AddAt(Stopwatch.GetTimestamp(), name, detail);

    /// <summary>Records <paramref name="name"/> at a <see cref="Stopwatch"/> timestamp taken earlier by the caller.</summary>
    public RunEvent AddAt(long stopwatchTimestamp, string name, string? detail = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var atUs = (long)Stopwatch.GetElapsedTime(T0Timestamp, stopwatchTimestamp).TotalMicroseconds;
        return Add(new RunEvent(atUs, name, detail));
    }

    /// <summary>Records an event with its time already on the run's clock (used when reading results back).</summary>
    public RunEvent Add(RunEvent runEvent)
    {
        lock (_gate) _events.Add(runEvent);
        return runEvent;
    }

    /// <summary>The events so far, ordered by time.</summary>
    public IReadOnlyList<RunEvent> Snapshot()
    {
        lock (_gate) return [.. _events.OrderBy(e => e.AtUs)];
    }
}
