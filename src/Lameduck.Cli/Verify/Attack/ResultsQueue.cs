using System.Threading.Channels;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// The bounded queue between an engine, which produces a record per request, and the single consumer that folds
/// records into the metrics and streams them to the results file. When it is full the producer waits: backpressure
/// shows as send lag, never as a lost record.
/// </summary>
internal sealed class ResultsQueue
{
    private readonly Channel<RequestResult> _channel = Channel.CreateBounded<RequestResult>(new BoundedChannelOptions(1 << 16)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The consumer's end.</summary>
    public ChannelReader<RequestResult> Reader => _channel.Reader;

    /// <summary>Adds a record from a thread that may block (an engine's own thread).</summary>
    public void Post(in RequestResult result)
    {
        if (!_channel.Writer.TryWrite(result)) _channel.Writer.WriteAsync(result).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Adds a record from async code.</summary>
    public ValueTask PostAsync(RequestResult result) =>
        _channel.Writer.TryWrite(result) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(result);

    /// <summary>No more records will come.</summary>
    public void Complete() => _channel.Writer.Complete();
}
