using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// The engine for what the HTTP/1.1 engine does not speak (https, <c>--http2</c>) and for systems without epoll:
/// a scheduler thread that hands each due request to SocketsHttpHandler, which completes it on its own threads.
/// </summary>
/// <remarks>
/// The scheduler sleeps (nanosleep, then a short spin to the deadline); when behind it sends every request already
/// due in one batch, each stamped with its own due time, so lateness shows as send lag. Costs about 28 µs of CPU
/// per request on 2 cores (thread-pool hops, futex wake-ups), hence <see cref="Http1.Http1Engine"/> for plain HTTP/1.1.
/// </remarks>
internal sealed class HttpClientEngine : ILoadEngine
{
    /// <summary>
    /// How close to a deadline the scheduler stops sleeping and spins. Short: spinning burns a core the HTTP work
    /// needs (measured on 2 cores: a 100 µs window cost more send lag under load than it saved), and nanosleep
    /// with 1 µs timer slack wakes within tens of microseconds.
    /// </summary>
    private static readonly long SpinWindowTicks = Stopwatch.Frequency / 50_000; // 20 µs
    /// <summary>Shortest time between two wake-ups of the scheduler (200 µs): bounds wake-ups to 5,000 per second.</summary>
    private static readonly long WakeQuantumTicks = Stopwatch.Frequency / 5_000;

    /// <summary>Longest single sleep, so a stop request is noticed quickly even at very low rates.</summary>
    private static readonly long MaxSleepTicks = Stopwatch.Frequency / 20;       // 50 ms

    private readonly LoadOptions _options;
    private readonly HttpMessageInvoker _invoker;
    private readonly ConcurrentQueue<CancellationTokenSource> _timers = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _maxInFlight;
    private readonly double _microsecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private ResultsQueue _results = null!;
    private long _t0;
    private long _scheduled;
    private long _inFlight;
    private int _schedulingDone;

    public HttpClientEngine(LoadOptions options)
    {
        _options = options;
        _maxInFlight = options.EffectiveMaxInFlight;
        _invoker = new HttpMessageInvoker(HttpHandlerFactory.Create(options), disposeHandler: true);
    }

    public long Scheduled => Volatile.Read(ref _scheduled);

    public long InFlight => Volatile.Read(ref _inFlight);

    public bool WantsRealTime => true;

    public bool KeepsItsCoreBusy => false;

    /// <summary>Nothing to prepare: SocketsHttpHandler opens its connections on demand and owns its pool.</summary>
    public void Prepare(CancellationToken stop)
    {
    }

    public long Run(long t0, ScheduleLength length, ResultsQueue results, CancellationToken stop)
    {
        _t0 = t0;
        _results = results;
        try
        {
            return Schedule(new RequestSchedule(t0, _options.Rate, length), stop);
        }
        finally
        {
            Volatile.Write(ref _schedulingDone, 1);
            if (Volatile.Read(ref _inFlight) == 0) _drained.TrySetResult();
            // In-flight requests end by themselves within the timeout: each has its own timer.
            _drained.Task.GetAwaiter().GetResult();
        }
    }

    public void Dispose()
    {
        _invoker.Dispose();
        while (_timers.TryDequeue(out var timer)) timer.Dispose();
    }

    private long Schedule(RequestSchedule schedule, CancellationToken stop)
    {
        long next = 0;
        long lastWake = long.MinValue / 2;
        while (next < schedule.Total && !stop.IsCancellationRequested)
        {
            long due = schedule.Due(next);
            // At high rates wake at most once per quantum and send what fell due meanwhile: fewer wake-ups (each a
            // syscall and a context switch) for at most a quantum of send lag, which the report shows.
            long wakeAt = Math.Max(due, lastWake + WakeQuantumTicks);
            long remaining = wakeAt - Stopwatch.GetTimestamp();
            if (remaining > SpinWindowTicks)
            {
                PreciseSleep.For(Math.Min(remaining - SpinWindowTicks, MaxSleepTicks));
                continue;
            }
            while (Stopwatch.GetTimestamp() < wakeAt) Thread.SpinWait(8);

            // Send everything that is due by now: one request at low rates, a batch at high rates or when behind.
            long now = Stopwatch.GetTimestamp();
            lastWake = now;
            // Total is read afresh: the run may have been ended while this thread slept.
            while (next < schedule.Total && due <= now && !stop.IsCancellationRequested)
            {
                Issue(next, due);
                next++;
                Volatile.Write(ref _scheduled, next);
                due = schedule.Due(next);
            }
        }
        return Stopwatch.GetTimestamp() - schedule.T0;
    }

    private void Issue(long seq, long dueTimestamp)
    {
        var scheduledUs = ToMicroseconds(dueTimestamp);
        if (Volatile.Read(ref _inFlight) >= _maxInFlight)
        {
            _results.Post(new RequestResult(seq, scheduledUs, -1, -1, 0, ErrorClass.Saturated, -1, 0));
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
            await _results.PostAsync(result).ConfigureAwait(false);
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

    private long ToMicroseconds(long timestamp) => (long)((timestamp - _t0) * _microsecondsPerTick);
}
