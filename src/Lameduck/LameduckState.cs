namespace Lameduck;

/// <summary>
/// The one mutable record of the shutdown sequence. The host lifetime and the drain observer move it
/// forward; middleware and workers report work through <see cref="BeginWork"/>. Lock-free on the
/// request path: one interlocked increment and decrement and a timestamp store per unit of work.
/// Deliberately not IDisposable: the draining token must stay readable by code that outlives the host
/// (a worker finishing late); its source has no timer, so nothing leaks by not disposing it.
/// </summary>
internal sealed class LameduckState : ILameduck
{
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _draining = new();
    private int _phase = (int)LameduckPhase.Serving;
    private int _inFlight;
    private long _servedDuringLameDuck;
    private long _aborted;
    private long _lastArrival;
    private long _deadlineTicks;
    private long _signalAt;

    public LameduckState(TimeProvider time)
    {
        _time = time;
        _lastArrival = time.GetTimestamp();
    }

    public LameduckPhase Phase => (LameduckPhase)Volatile.Read(ref _phase);

    public CancellationToken Draining => _draining.Token;

    public DateTimeOffset? Deadline
    {
        get
        {
            var ticks = Interlocked.Read(ref _deadlineTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    public long ServedDuringLameDuck => Interlocked.Read(ref _servedDuringLameDuck);

    public long Aborted => Interlocked.Read(ref _aborted);

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the last unit of work that arrived.</summary>
    public long LastArrival => Interlocked.Read(ref _lastArrival);

    public WorkScope BeginWork()
    {
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref _lastArrival, _time.GetTimestamp());
        if (Volatile.Read(ref _phase) == (int)LameduckPhase.LameDuck)
        {
            Interlocked.Increment(ref _servedDuringLameDuck);
        }
        return new WorkScope(this);
    }

    internal void EndWork() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Moves to <paramref name="phase"/> if that is later than the current phase; returns whether it moved.</summary>
    public bool Advance(LameduckPhase phase)
    {
        while (true)
        {
            var current = Volatile.Read(ref _phase);
            if (current >= (int)phase)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _phase, (int)phase, current) == current)
            {
                break;
            }
        }
        if (phase >= LameduckPhase.LameDuck)
        {
            // Cancel outside any lock: callbacks (WebSocket/SSE helpers, workers) run synchronously here.
            try
            {
                _draining.Cancel();
            }
            catch (AggregateException)
            {
                // A callback threw; the sequence must go on regardless. The callbacks own their errors.
            }
        }
        return true;
    }

    /// <summary>Timestamp of the first stop signal, or 0 when none arrived (the application stopped itself).</summary>
    public long SignalAt => Interlocked.Read(ref _signalAt);

    public void MarkSignal() => Interlocked.CompareExchange(ref _signalAt, _time.GetTimestamp(), 0);

    public void SetDeadline(DateTimeOffset deadline) => Interlocked.Exchange(ref _deadlineTicks, deadline.UtcTicks);

    public void RecordAborted(int count) => Interlocked.Add(ref _aborted, count);
}
