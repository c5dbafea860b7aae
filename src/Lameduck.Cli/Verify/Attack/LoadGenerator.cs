using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
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
/// One dedicated thread keeps the schedule (nanosleep, then a short spin to the deadline; when behind it sends
/// every request already due in one batch, each stamped with its own due time, so lateness shows as send lag).
/// Completed requests go through a bounded channel to a single task that folds them into the metrics and
/// streams them to the results file.
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
    /// <summary>
    /// How close to a deadline the scheduler stops sleeping and spins. Short: spinning burns a core the HTTP work
    /// needs (measured on 2 cores: a 100 µs window cost more send lag under load than it saved), and nanosleep
    /// with 1 µs timer slack wakes within tens of microseconds.
    /// </summary>
    private static readonly long SpinWindowTicks = Stopwatch.Frequency / 50_000; // 20 µs
    /// <summary>Longest single sleep, so a stop request is noticed quickly even at very low rates.</summary>
    private static readonly long MaxSleepTicks = Stopwatch.Frequency / 20;       // 50 ms

    private static readonly TimeSpan ConsumerBatchPause = TimeSpan.FromMilliseconds(2);

    private readonly LoadOptions _options;
    private readonly HttpMessageInvoker _invoker;
    private readonly Channel<RequestResult> _results;
    private readonly MetricsAccumulator _metrics = new();
    private readonly ConcurrentQueue<CancellationTokenSource> _timers = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Func<Task>> _gates = [];
    private readonly StreamWriter? _resultsFile;
    private readonly int _maxInFlight;
    private readonly long _totalRequests;
    private readonly double _microsecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private long _t0;
    private long _scheduled;
    private long _inFlight;
    private int _schedulingDone;
    private int _started;

    /// <summary>Prepares a run (and creates the results file, if any); nothing is sent until <see cref="RunAsync(CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentException">A setting cannot work (see <see cref="LoadOptions.Validate"/>).</exception>
    /// <exception cref="IOException">The results file cannot be created.</exception>
    public LoadGenerator(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _maxInFlight = options.EffectiveMaxInFlight;
        _totalRequests = options.ScheduledRequests;
        // Opened here so that a results path that cannot be written fails before anything is sent.
        _resultsFile = options.ResultsPath is null ? null : ResultsCsvWriter.Open(options.ResultsPath);
        _invoker = new HttpMessageInvoker(HttpHandlerFactory.Create(options), disposeHandler: true);
        _results = Channel.CreateBounded<RequestResult>(new BoundedChannelOptions(1 << 16)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Timeline markers; add your own at any time (they are stamped on the run's clock).</summary>
    public EventRecorder Events { get; } = new();

    /// <summary>
    /// True when the scheduler thread got real-time priority (SCHED_FIFO; needs root or CAP_SYS_NICE), which keeps
    /// send lag low on a busy machine; false when it runs at normal priority. Known once the run has started.
    /// </summary>
    public bool SchedulerIsRealTime { get; private set; }

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

    /// <summary>A live snapshot for progress displays (thread-safe).</summary>
    public LoadProgress Progress()
    {
        var t0 = Volatile.Read(ref _t0);
        return new LoadProgress(
            t0 == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(t0),
            Volatile.Read(ref _scheduled),
            _metrics.Requests,
            _metrics.Errors,
            Volatile.Read(ref _inFlight),
            _totalRequests);
    }

    /// <summary>
    /// Sends the schedule. When <paramref name="stop"/> fires, scheduling stops, requests in flight finish (each
    /// within the timeout) and the result covers what was done, with <see cref="LoadResult.Interrupted"/> set.
    /// Can be called once.
    /// </summary>
    public async Task<LoadResult> RunAsync(CancellationToken stop = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("a LoadGenerator runs once");

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

        var consumer = Task.Run(() => ConsumeAsync(csv));
        var scheduler = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { scheduler.SetResult(Schedule(t0, stop)); }
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
            Volatile.Write(ref _schedulingDone, 1);
            if (Volatile.Read(ref _inFlight) == 0) _drained.TrySetResult();
            // In-flight requests end by themselves within the timeout: each has its own timer.
            await _drained.Task.ConfigureAwait(false);
            _results.Writer.Complete();
            await consumer.ConfigureAwait(false);
        }

        Func<Task>[] gates;
        lock (_gates) gates = [.. _gates];
        foreach (var gate in gates) await gate().ConfigureAwait(false);

        var interrupted = stop.IsCancellationRequested && Volatile.Read(ref _scheduled) < _totalRequests;
        var attackDurationUs = interrupted
            ? (long)(attackEndTicks * _microsecondsPerTick)
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
        _invoker.Dispose();
        while (_timers.TryDequeue(out var timer)) timer.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The scheduler thread's loop; returns when scheduling ended, in ticks since t0.</summary>
    private long Schedule(long t0, CancellationToken stop)
    {
        PreciseSleep.TightenTimerSlackOfCurrentThread();
        // Measured on a 2-core machine at load average 11: send lag p99 12 ms at normal priority, 0.09 ms real-time.
        SchedulerIsRealTime = PreciseSleep.TryRaiseCurrentThreadToRealTime();
        var periodTicks = Stopwatch.Frequency / _options.Rate;
        long next = 0;
        while (next < _totalRequests && !stop.IsCancellationRequested)
        {
            long due = t0 + (long)(next * periodTicks);
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining > SpinWindowTicks)
            {
                PreciseSleep.For(Math.Min(remaining - SpinWindowTicks, MaxSleepTicks));
                continue;
            }
            while (Stopwatch.GetTimestamp() < due) Thread.SpinWait(8);

            // Send everything that is due by now: one request normally, a batch when the thread fell behind.
            long now = Stopwatch.GetTimestamp();
            do
            {
                Issue(next, due);
                next++;
                Volatile.Write(ref _scheduled, next);
                due = t0 + (long)(next * periodTicks);
            }
            while (next < _totalRequests && due <= now && !stop.IsCancellationRequested);
        }
        return Stopwatch.GetTimestamp() - t0;
    }

    private void Issue(long seq, long dueTimestamp)
    {
        var scheduledUs = ToMicroseconds(dueTimestamp);
        if (Volatile.Read(ref _inFlight) >= _maxInFlight)
        {
            var saturated = new RequestResult(seq, scheduledUs, -1, -1, 0, ErrorClass.Saturated, -1, 0);
            // Backpressure from the results pipeline blocks the scheduler: that shows as send lag, never as loss.
            if (!_results.Writer.TryWrite(saturated)) _results.Writer.WriteAsync(saturated).AsTask().GetAwaiter().GetResult();
            return;
        }
        Interlocked.Increment(ref _inFlight);
        _ = SendAsync(seq, scheduledUs);
    }

    private async Task SendAsync(long seq, long scheduledUs)
    {
        var attempts = _options.Http2 ? null : new ConnectionAttempts();
        attempts?.Enter();
        if (!_timers.TryDequeue(out var timer)) timer = new CancellationTokenSource();
        int status = 0;
        var error = ErrorClass.None;
        long bytesIn = 0;
        long sentUs = 0;
        byte[]? buffer = null;
        try
        {
            using var request = CreateRequest();
            timer.CancelAfter(_options.Timeout);
            sentUs = ToMicroseconds(Stopwatch.GetTimestamp());
            using var response = await _invoker.SendAsync(request, timer.Token).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(timer.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                int read;
                while ((read = await stream.ReadAsync(buffer, timer.Token).ConfigureAwait(false)) > 0) bytesIn += read;
            }
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            error = ErrorClass.Timeout;
        }
        catch (Exception e)
        {
            error = ErrorClassifier.Classify(e);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }

        var endUs = ToMicroseconds(Stopwatch.GetTimestamp());
        if (timer.TryReset()) _timers.Enqueue(timer);
        else timer.Dispose();

        var result = new RequestResult(seq, scheduledUs, sentUs, endUs, status, error, attempts?.Retries ?? -1, bytesIn);
        try
        {
            if (!_results.Writer.TryWrite(result)) await _results.Writer.WriteAsync(result).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _schedulingDone) == 1) _drained.TrySetResult();
        }
    }

    private HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(_options.Method, _options.Target)
        {
            Version = _options.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (_options.Body is { } body) request.Content = new ReadOnlyMemoryContent(body);
        if (!_options.KeepAlive && !_options.Http2) request.Headers.ConnectionClose = true;
        foreach (var (name, value) in _options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                // Content-Type and friends belong to the content; add an empty body to carry them if needed.
                request.Content ??= new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    private async Task ConsumeAsync(ResultsCsvWriter? csv)
    {
        var reader = _results.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var result))
            {
                _metrics.Add(result);
                csv?.Write(result);
            }
            // Drain in batches: without the pause the reader is woken for every record (a thread hop per request);
            // 2 ms of records fit in the channel many times over even at 100,000 req/s.
            await Task.Delay(ConsumerBatchPause).ConfigureAwait(false);
        }
    }

    private long ToMicroseconds(long timestamp) => (long)((timestamp - _t0) * _microsecondsPerTick);
}
