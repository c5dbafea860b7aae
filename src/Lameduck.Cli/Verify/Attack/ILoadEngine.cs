namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// What sends a run's schedule: it keeps the schedule on the calling (dedicated) thread, sends each request when
/// due or records it saturated, and posts one record per request. <see cref="LoadGenerator"/> owns everything
/// around it (results file, metrics, events, gates); the engine is chosen by <see cref="LoadEngines.Create"/>.
/// </summary>
internal interface ILoadEngine : IDisposable
{
    /// <summary>Requests scheduled so far (sent or saturated); readable from any thread.</summary>
    long Scheduled { get; }

    /// <summary>Requests sent and not finished; readable from any thread.</summary>
    long InFlight { get; }

    /// <summary>
    /// True when the engine sleeps between due times and is helped by real-time priority; false when it polls
    /// without sleeping (a real-time thread that never sleeps is throttled by the kernel, which would stall it).
    /// </summary>
    bool WantsRealTime { get; }

    /// <summary>
    /// True when the engine's thread never sleeps during the run (it polls): records are then folded on that thread
    /// (<see cref="ResultsQueue.FoldOnProducerThread"/>) rather than by a second busy thread competing for its core.
    /// </summary>
    bool KeepsItsCoreBusy { get; }

    /// <summary>
    /// Gets ready to send before t0 (e.g. opens the first connections, as wrk does), so set-up does not show as
    /// send lag. Bounded in time; failures here are not recorded (the run's requests meet and record them).
    /// </summary>
    void Prepare(CancellationToken stop);

    /// <summary>
    /// Runs the schedule from <paramref name="t0"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) until its
    /// end (the first <paramref name="length"/> requests, which may shrink meanwhile) or <paramref name="stop"/>, then
    /// waits for the requests in flight (each ends within the timeout). Blocks the calling thread; returns when
    /// scheduling ended, in ticks since t0.
    /// </summary>
    long Run(long t0, ScheduleLength length, ResultsQueue results, CancellationToken stop);
}
