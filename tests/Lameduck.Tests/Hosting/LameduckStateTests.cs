using Lameduck.Tests.Infrastructure;

namespace Lameduck.Tests.Hosting;

public sealed class LameduckStateTests
{
    [Fact]
    public void Work_is_counted_in_flight_until_disposed()
    {
        var state = new LameduckState(new ManualTimeProvider());
        var a = state.BeginWork();
        var b = state.BeginWork();
        Assert.Equal(2, state.InFlight);
        a.Dispose();
        b.Dispose();
        Assert.Equal(0, state.InFlight);
    }

    [Fact]
    public void Draining_fires_when_the_window_starts_and_phases_only_move_forward()
    {
        var state = new LameduckState(new ManualTimeProvider());
        Assert.Equal(LameduckPhase.Serving, state.Phase);
        Assert.False(state.Draining.IsCancellationRequested);
        Assert.Null(state.Deadline);

        Assert.True(state.Advance(LameduckPhase.LameDuck));
        Assert.True(state.Draining.IsCancellationRequested);
        Assert.True(state.Advance(LameduckPhase.Draining));
        Assert.False(state.Advance(LameduckPhase.LameDuck));
        Assert.Equal(LameduckPhase.Draining, state.Phase);
    }

    [Fact]
    public void Only_work_that_starts_during_the_window_counts_as_served_during_lame_duck()
    {
        var state = new LameduckState(new ManualTimeProvider());
        state.BeginWork().Dispose();
        state.Advance(LameduckPhase.LameDuck);
        state.BeginWork().Dispose();
        state.BeginWork().Dispose();
        state.Advance(LameduckPhase.Draining);
        state.BeginWork().Dispose();
        Assert.Equal(2, state.ServedDuringLameDuck);
    }

    [Fact]
    public void A_throwing_Draining_callback_does_not_stop_the_sequence()
    {
        var state = new LameduckState(new ManualTimeProvider());
        var other = false;
        state.Draining.Register(() => throw new InvalidOperationException("a worker's bug"));
        state.Draining.Register(() => other = true);
        Assert.True(state.Advance(LameduckPhase.LameDuck));
        Assert.True(other);
        Assert.Equal(LameduckPhase.LameDuck, state.Phase);
    }
}
