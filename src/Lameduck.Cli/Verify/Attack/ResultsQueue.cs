using System.Collections.Concurrent;
using System.Threading.Channels;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// The bounded queue between an engine, which produces a record per request, and the single consumer that folds
/// records into the metrics and streams them to the results file. When it is full the producer waits: backpressure
/// shows as send lag, never as a lost record.
/// </summary>
/// <remarks>
/// Two ways in. Records one at a time from any thread (<see cref="Post"/>, the SocketsHttpHandler engine's
/// completions), or whole batches from one thread (<see cref="PostBatch"/>, the epoll engine): one lock per batch
/// instead of one per record, so a producer at 80,000 records a second and the consumer draining on another core
/// do not fight over the queue's lock (each contended acquisition is a futex call).
/// </remarks>
internal sealed class ResultsQueue
{
    /// <summary>Records per batch.</summary>
    public const int BatchSize = 1024;

    /// <summary>How often the consumer looks for records: batches 2 ms of them instead of waking per record.</summary>
    private static readonly TimeSpan ConsumerPause = TimeSpan.FromMilliseconds(2);

    private readonly Channel<RequestResult> _records = Channel.CreateBounded<RequestResult>(new BoundedChannelOptions(1 << 16)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    // 64 batches of 1,024: the same bound as the single records' (65,536 records, about 3 MB).
    private readonly Channel<(RequestResult[] Records, int Count)> _batches = Channel.CreateBounded<(RequestResult[], int)>(new BoundedChannelOptions(64)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConcurrentBag<RequestResult[]> _emptyBatches = [];
    private RecordSink? _inlineSink;

    /// <summary>Receives one record (called on the consumer's task, in order of arrival).</summary>
    public delegate void RecordSink(in RequestResult record);

    /// <summary>Adds a record from a thread that may block.</summary>
    public void Post(in RequestResult result)
    {
        if (!_records.Writer.TryWrite(result)) _records.Writer.WriteAsync(result).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Adds a record from async code.</summary>
    public ValueTask PostAsync(RequestResult result) =>
        _records.Writer.TryWrite(result) ? ValueTask.CompletedTask : _records.Writer.WriteAsync(result);

    /// <summary>An empty array for <see cref="PostBatch"/> (of <see cref="BatchSize"/> records).</summary>
    public RequestResult[] RentBatch() => _emptyBatches.TryTake(out var batch) ? batch : new RequestResult[BatchSize];

    /// <summary>
    /// From now on <see cref="PostBatch"/> feeds its records to <paramref name="sink"/> on the producer's thread instead
    /// of queueing them. For a producer that keeps a core busy (the epoll engine polling): the consumer, a second busy
    /// thread, would otherwise take turns with it on that core whenever the target holds the other, and each turn shows
    /// as send lag (measured at 75,000 req/s against nginx on 2 cores: p99 3–20 ms, where a single thread stays under 1 ms).
    /// Call before the first record.
    /// </summary>
    public void FoldOnProducerThread(RecordSink sink) => _inlineSink = sink;

    /// <summary>Hands the first <paramref name="count"/> records of <paramref name="batch"/> over (blocks when the queue is full).</summary>
    public void PostBatch(RequestResult[] batch, int count)
    {
        if (_inlineSink is { } sink)
        {
            for (int i = 0; i < count; i++) sink(batch[i]);
            _emptyBatches.Add(batch);
            return;
        }
        if (!_batches.Writer.TryWrite((batch, count))) _batches.Writer.WriteAsync((batch, count)).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>No more records will come.</summary>
    public void Complete()
    {
        _records.Writer.TryComplete();
        _batches.Writer.TryComplete();
    }

    /// <summary>Feeds every record to <paramref name="sink"/> until <see cref="Complete"/> and the queue is empty.</summary>
    public async Task ConsumeAsync(RecordSink sink)
    {
        if (_inlineSink is not null)
        {
            // Batches are folded by their producer; only single records (if any) come this way. Waits for them instead
            // of looking every 2 ms: each look woke a timer and a pool thread that took the polling producer's core
            // for a moment (perf sched at 77,000 req/s: 4,800 preemptions in 10 s).
            while (await _records.Reader.WaitToReadAsync().ConfigureAwait(false))
                while (_records.Reader.TryRead(out var record)) sink(record);
            return;
        }
        while (true)
        {
            var done = _records.Reader.Completion.IsCompleted && _batches.Reader.Completion.IsCompleted;
            while (_records.Reader.TryRead(out var record)) sink(record);
            while (_batches.Reader.TryRead(out var batch))
            {
                for (int i = 0; i < batch.Count; i++) sink(batch.Records[i]);
                _emptyBatches.Add(batch.Records);
            }
            if (done) return;
            await Task.Delay(ConsumerPause).ConfigureAwait(false);
        }
    }
}
