
namespace Lameduck.Hosting;

/// <summary>
/// Decides when the lame-duck window ends: after <see cref="LameduckOptions.Delay"/>, or, with a
/// <see cref="LameduckOptions.QuietPeriod"/>, as soon as <see cref="LameduckOptions.MinDelay"/> has passed
/// and no work arrived for the quiet period (load balancers have stopped sending).
/// </summary>
internal static class LameDuckWindow
{
    public const string DelayElapsed = "delay elapsed";
    public const string QuietPeriodElapsed = "quiet period elapsed";

    /// <summary>Waits until the window ends; returns why it ended.</summary>
    public static async Task<string> WaitAsync(LameduckOptions options, LameduckState state, TimeProvider time, long startedAt, CancellationToken cancellationToken)
    {
        if (options.QuietPeriod is not { } quiet)
        {
            await Task.Delay(options.Delay, time, cancellationToken).ConfigureAwait(false);
            return DelayElapsed;
        }

        while (true)
        {
            var elapsed = time.GetElapsedTime(startedAt);
            if (elapsed >= options.Delay)
            {
                return DelayElapsed;
            }
            var sinceArrival = time.GetElapsedTime(state.LastArrival);
            if (elapsed >= options.MinDelay && sinceArrival >= quiet)
            {
                return QuietPeriodElapsed;
            }
            // Sleep until the earliest moment the window could end; a request arriving meanwhile only
            // moves that moment later, so waking early is never needed.
            var untilQuiet = Max(quiet - sinceArrival, options.MinDelay - elapsed);
            var wait = Min(untilQuiet, options.Delay - elapsed);
            await Task.Delay(Max(wait, TimeSpan.FromMilliseconds(1)), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
