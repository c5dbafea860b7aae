using System.Runtime.InteropServices;
using Lameduck.Hosting;
using Lameduck.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lameduck.Tests.Hosting;

/// <summary>
/// The deadline announced at the stop signal (what Draining callbacks read to plan their work) is the budget's:
/// GracePeriod − PreStop − SafetyMargin after the signal, the moment the kubelet's SIGKILL is due minus the margin.
/// </summary>
public sealed class SignalDeadlineTests
{
    [Fact]
    public async Task The_deadline_at_the_signal_is_grace_minus_preStop_minus_margin()
    {
        var time = new ManualTimeProvider();
        var state = new LameduckState(time);
        var options = Microsoft.Extensions.Options.Options.Create(new LameduckOptions
        {
            GracePeriod = TimeSpan.FromSeconds(30),
            PreStop = TimeSpan.FromSeconds(5),
            Delay = TimeSpan.FromSeconds(5),
            SafetyMargin = TimeSpan.FromSeconds(2),
        });
        using var lifetime = new LameduckHostLifetime(state, new UnusedLifetime(), options, time, NullLoggerFactory.Instance);
        var signalAt = time.GetUtcNow(); // the manual clock does not move by itself

        lifetime.BeginShutdown(PosixSignal.SIGTERM);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (state.Phase == LameduckPhase.Serving)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the lame-duck window never started");
            await Task.Delay(1);
        }

        // 30 − 5 − 2 = 23 s: SIGKILL comes 30 s after termination began, and the preStop hook used the first 5 s.
        Assert.Equal(signalAt + TimeSpan.FromSeconds(23), state.Deadline);
    }

    /// <summary>The window does not end while the manual clock stands still, so nothing may stop the application.</summary>
    private sealed class UnusedLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => throw new InvalidOperationException("the window ended while the clock stood still");
    }
}
