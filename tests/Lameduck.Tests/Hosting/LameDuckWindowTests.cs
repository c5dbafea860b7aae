using Lameduck.Hosting;
using Lameduck.Tests.Infrastructure;

namespace Lameduck.Tests.Hosting;

/// <summary>Issue 2, step 2: the window ends after Delay, or after MinDelay once no request arrived for QuietPeriod.</summary>
public sealed class LameDuckWindowTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly LameduckState _state;

    public LameDuckWindowTests() => _state = new LameduckState(_time);

    [Fact]
    public async Task Without_QuietPeriod_the_window_lasts_Delay()
    {
        var window = Start(new LameduckOptions { Delay = TimeSpan.FromSeconds(5) });

        await AdvanceAsync(window, TimeSpan.FromMilliseconds(4999));
        Assert.False(window.IsCompleted);
        await AdvanceAsync(window, TimeSpan.FromMilliseconds(1));
        Assert.Equal(LameDuckWindow.DelayElapsed, await window.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task With_no_traffic_QuietPeriod_ends_the_window_early()
    {
        _time.Advance(TimeSpan.FromSeconds(10)); // the last request was long ago
        var window = Start(new LameduckOptions { Delay = TimeSpan.FromSeconds(30), MinDelay = TimeSpan.FromSeconds(1), QuietPeriod = TimeSpan.FromSeconds(2) });

        await AdvanceAsync(window, TimeSpan.FromMilliseconds(999));
        Assert.False(window.IsCompleted); // MinDelay holds it open
        await AdvanceAsync(window, TimeSpan.FromMilliseconds(1));
        Assert.Equal(LameDuckWindow.QuietPeriodElapsed, await window.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_request_arriving_during_the_window_restarts_the_quiet_clock()
    {
        _time.Advance(TimeSpan.FromSeconds(10));
        var window = Start(new LameduckOptions { Delay = TimeSpan.FromSeconds(30), MinDelay = TimeSpan.FromSeconds(1), QuietPeriod = TimeSpan.FromSeconds(2) });

        await AdvanceAsync(window, TimeSpan.FromMilliseconds(500));
        _state.BeginWork().Dispose(); // arrives at 0.5 s: quiet until 2.5 s at the earliest
        await AdvanceAsync(window, TimeSpan.FromMilliseconds(1999));
        Assert.False(window.IsCompleted);
        await AdvanceAsync(window, TimeSpan.FromMilliseconds(1));
        Assert.Equal(LameDuckWindow.QuietPeriodElapsed, await window.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Steady_traffic_keeps_the_window_open_until_Delay()
    {
        _time.Advance(TimeSpan.FromSeconds(10));
        var window = Start(new LameduckOptions { Delay = TimeSpan.FromSeconds(5), MinDelay = TimeSpan.FromSeconds(1), QuietPeriod = TimeSpan.FromSeconds(1) });

        for (var i = 0; i < 49; i++)
        {
            _state.BeginWork().Dispose();
            await AdvanceAsync(window, TimeSpan.FromMilliseconds(100));
            Assert.False(window.IsCompleted, $"ended at {(i + 1) * 100} ms under traffic");
        }
        _state.BeginWork().Dispose();
        await AdvanceAsync(window, TimeSpan.FromMilliseconds(100));
        Assert.Equal(LameDuckWindow.DelayElapsed, await window.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_second_signal_cancels_the_window()
    {
        using var stopNow = new CancellationTokenSource();
        var window = LameDuckWindow.WaitAsync(new LameduckOptions(), _state, _time, _time.GetTimestamp(), stopNow.Token);
        await stopNow.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => window);
    }

    private Task<string> Start(LameduckOptions options) =>
        LameDuckWindow.WaitAsync(options, _state, _time, _time.GetTimestamp(), CancellationToken.None);

    /// <summary>
    /// Advances the manual clock, then waits until the window has reacted to it: either it ended, or it is parked on
    /// a timer again. A fired timer's continuation may run on the thread pool, so "not completed" right after
    /// <see cref="ManualTimeProvider.Advance"/> would prove nothing; once a timer is pending again, the window's
    /// loop has run its checks for the new time and decided to wait, so "not completed" then means "not over".
    /// </summary>
    private async Task AdvanceAsync(Task window, TimeSpan by)
    {
        _time.Advance(by);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!window.IsCompleted && _time.PendingTimers == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the window neither ended nor waited on the clock again");
            await Task.Yield();
            await Task.Delay(1);
        }
    }
}
