using System.Diagnostics;
using Lameduck.Cli.Verify.Events;
using Lameduck.Cli.Verify.Metrics;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// The open-model load generator: request <c>i</c> is due at <c>t0 + i / rate</c> and is sent then, however
/// slow the server is, as long as fewer than <see cref="LoadOptions.EffectiveMaxInFlight"/> requests are
/// outstanding (otherwise it is recorded as saturated, not delayed). Latency counts from the due time, so a
/// stalled server cannot hide its stall (no coordinated omission).
/// </summary>
/// <remarks>
/// An engine (<see cref="ILoadEngine"/>) keeps the schedule and sends on one dedicated thread: the epoll
/// HTTP/1.1 engine for plain http://, SocketsHttpHandler for https and <c>--http2</c>. Records go through a
/// bounded queue to a single task that folds them into the metrics and streams them to the results file.
/// </remarks>
/// <example>
/// <code>
/// await using var generator = new LoadGenerator(new LoadOptions { Target = new Uri("http://127.0.0.1:8080/"), Rate = 500, Duration = TimeSpan.FromSeconds(10) });
/// var run = generator.RunAsync(ct);                  // ct: stop scheduling early (Ctrl-C); in-flight requests still finish
/// generator.Events.Add("rollout started");           // markers on the run's timeline
/// LoadResult result = await run;
/// Console.WriteLine($"{result.Summary.Errors} errors, p99 {result.Summary.LatencyMs.P99} ms");
/// </code>
/// </example>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly LoadOptions _options;
    private readonly ILoadEngine _engine;
    private readonly ResultsQueue _results = new();
    private readonly MetricsAccumulator _metrics = new();
    private readonly List<Func<Task>> _gates = [];
    private readonly StreamWriter? _resultsFile;
    private readonly long _totalRequests;
    private readonly double _microsecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private readonly ScheduleLength _length;
    private long _t0;
    private int _started;

    /// <summary>Prepares a run (and creates the results file, if any); nothing is sent until <see cref="RunAsync(CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentException">A setting cannot work (see <see cref="LoadOptions.Validate"/>).</exception>
    /// <exception cref="IOException">The results file cannot be created.</exception>
    public LoadGenerator(LoadOptions options)
        : this(options, LoadEngines.Create)
    {
    }

    /// <summary>A run sent by the engine <paramref name="createEngine"/> makes (tests compare the engines this way).</summary>
    internal LoadGenerator(LoadOptions options, Func<LoadOptions, ILoadEngine> createEngine)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _totalRequests = options.ScheduledRequests;
        _length = new ScheduleLength(_totalRequests);
        // Opened here so that a results path that cannot be written fails before anything is sent.
        _resultsFile = options.ResultsPath is null ? null : ResultsCsvWriter.Open(options.ResultsPath);
        try
        {
            _engine = createEngine(options);
        }
        catch
        {
            _resultsFile?.Dispose();
            throw;
        }
    }

    /// <summary>Timeline markers; add your own at any time (they are stamped on the run's clock).</summary>
    public EventRecorder Events { get; } = new();

    /// <summary>
    /// True when the scheduler thread got real-time priority (SCHED_FIFO; needs root or CAP_SYS_NICE), which keeps
    /// send lag low on a busy machine; false when it runs at normal priority. Known once the run has started.
    /// </summary>
    public bool SchedulerIsRealTime { get; private set; }

    /// <summary>
    /// False when the engine polls without sleeping (high rates on the epoll engine) and so runs at normal
    /// priority on purpose: <see cref="SchedulerIsRealTime"/> is then false and that is no loss.
    /// </summary>
    public bool SchedulerWantsRealTime => _engine.WantsRealTime;

    /// <summary>The settings of this run.</summary>
    public LoadOptions Options => _options;

    /// <summary>Runs the schedule with default settings plus <paramref name="options"/>, and returns what it measured.</summary>
    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken stop = default)
    {
        await using var generator = new LoadGenerator(options);
        return await generator.RunAsync(stop).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers work the run waits for after the last response and before it writes its events and closes the
    /// results file (e.g. the <c>--during</c> command's exit, a rollout's last event). Register before
    /// <see cref="RunAsync(CancellationToken)"/> completes; gates run in order of registration.
    /// </summary>
    public void BeforeCompletion(Func<Task> gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        lock (_gates) _gates.Add(gate);
    }

    /// <summary>
    /// Ends the schedule now as if this were its planned end (thread-safe; a no-op once the schedule is over): the
    /// requests due by now are still sent (also those a stalled machine has not sent yet), none after them; those in
    /// flight finish (each within the timeout), and the result is complete, not interrupted; its duration is its
    /// requests' (requests / rate). Before the run starts it ends the schedule before its first request. The lab ends
    /// its load this way soon after the rollout is over (<c>--end-after-rollout</c>).
    /// </summary>
    /// <example><code>_ = rolloutDone.ContinueWith(_ => generator.EndSchedule());</code></example>
    public void EndSchedule()
    {
        var t0 = Volatile.Read(ref _t0);
        // Request i is due at i / rate: those with i <= elapsed × rate are due.
        _length.EndAt(t0 == 0 ? 0 : (long)Math.Floor(Stopwatch.GetElapsedTime(t0).TotalSeconds * _options.Rate) + 1);
    }

    /// <summary>A live snapshot for progress displays (thread-safe).</summary>
    public LoadProgress Progress()
    {
        var t0 = Volatile.Read(ref _t0);
        return new LoadProgress(
            t0 == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(t0),
            _engine.Scheduled,
            _metrics.Requests,
            _metrics.Errors,
            _engine.InFlight,
            _length.Requests);
    }

    /// <summary>
    /// Sends the schedule. When <paramref name="stop"/> fires, scheduling stops, requests in flight finish (each
    /// within the timeout) and the result covers what was done, with <see cref="LoadResult.Interrupted"/> set.
    /// Can be called once.
    /// </summary>
    public async Task<LoadResult> RunAsync(CancellationToken stop = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("a LoadGenerator runs once");

        await Task.Run(() => _engine.Prepare(stop), CancellationToken.None).ConfigureAwait(false);
        var startedUtc = DateTimeOffset.UtcNow;
        var t0 = Stopwatch.GetTimestamp();
        var run = new RunInfo
        {
            Target = _options.Target.ToString(),
            Method = _options.Method.Method,
            TargetRate = _options.Rate,
            TargetDuration = _options.Duration,
            StartedUtc = startedUtc,
        };
        var csv = _resultsFile is null ? null : new ResultsCsvWriter(_resultsFile, run);
        Events.Restart(t0);
        Volatile.Write(ref _t0, t0);

        var consumer = ConsumeAsync(csv); // before the engine starts: it may fold records on its own thread
        var scheduler = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                PreciseSleep.TightenTimerSlackOfCurrentThread();
                // Measured on a 2-core machine at load average 11: send lag p99 12 ms at normal priority, 0.09 ms real-time.
                SchedulerIsRealTime = _engine.WantsRealTime && PreciseSleep.TryRaiseCurrentThreadToRealTime();
                scheduler.SetResult(_engine.Run(t0, _length, _results, stop));
            }
            catch (Exception e) { scheduler.SetException(e); }
        })
        {
            IsBackground = true,
            Name = "lameduck verify scheduler",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();

        long attackEndTicks;
        try
        {
            attackEndTicks = await scheduler.Task.ConfigureAwait(false);
        }
        finally
        {
            // The engine returns once its in-flight requests ended (each within the timeout).
            _results.Complete();
            await consumer.ConfigureAwait(false);
        }

        Func<Task>[] gates;
        lock (_gates) gates = [.. _gates];
        foreach (var gate in gates) await gate().ConfigureAwait(false);

        var scheduled = _engine.Scheduled;
        var interrupted = stop.IsCancellationRequested && scheduled < _length.Requests;
        var attackDurationUs = interrupted
            ? (long)(attackEndTicks * _microsecondsPerTick)
            : scheduled < _totalRequests
                // Ended early (EndSchedule): the schedule's first `scheduled` requests, at its rate, are the run.
                ? (long)(scheduled / _options.Rate * 1_000_000)
                : (long)_options.Duration.TotalMicroseconds;
        var events = Events.Snapshot();
        run = run with { AttackDurationUs = attackDurationUs, Interrupted = interrupted };
        if (csv is not null)
        {
            csv.WriteEvents(events);
            csv.WriteEnd(attackDurationUs, interrupted);
            await csv.DisposeAsync().ConfigureAwait(false);
        }
        return new LoadResult(run, _metrics.Summarize(attackDurationUs), events);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _started) == 0) _resultsFile?.Dispose();
        _engine.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task ConsumeAsync(ResultsCsvWriter? csv)
    {
        ResultsQueue.RecordSink sink = (in RequestResult result) =>
        {
            _metrics.Add(result);
            csv?.Write(result);
        };
        if (_engine.KeepsItsCoreBusy) _results.FoldOnProducerThread(sink);
        return _results.ConsumeAsync(sink);
    }
}
