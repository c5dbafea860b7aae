namespace HelloWorker;

/// <summary>Stands in for a broker: a message is always waiting, numbered from 1.</summary>
internal sealed class MessageQueue
{
    private long _next;

    public async Task<long> ReceiveAsync(CancellationToken cancellationToken)
    {
        // A real broker's receive is a network round trip; yield so cancellation is observed like one.
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Interlocked.Increment(ref _next);
    }
}
