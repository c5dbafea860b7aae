namespace Lameduck.Testing;

internal static class CancellationTokenWaits
{
    /// <summary>A task that completes (successfully) when <paramref name="token"/> is cancelled.</summary>
    public static Task WhenCancelledAsync(this CancellationToken token)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => fired.TrySetResult());
        return fired.Task;
    }
}
