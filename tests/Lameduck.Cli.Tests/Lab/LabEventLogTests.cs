using System.Diagnostics;
using Lameduck.Cli.Lab.Events;

namespace Lameduck.Cli.Tests.Lab;

public sealed class LabEventLogTests
{
    [Fact]
    public void An_event_stamped_before_acting_keeps_its_time_and_its_place_before_what_happened_meanwhile()
    {
        // The terminator stamps a signal before kill(2); the app's reaction (a session told to go away) can be recorded
        // by another thread before the terminator records the signal. The timeline must still read signal, then reaction.
        var log = new LabEventLog();
        log.Record(LabEventKind.Terminating, "r1");
        var sending = log.Now;
        SpinUntilTheClockMoves(log, sending);
        var reaction = log.Record(LabEventKind.Exited, "r1", "exit 0");
        var signal = log.Record(LabEventKind.SignalSent, "r1", "SIGTERM", sending);

        Assert.Equal(sending, signal.At);
        Assert.True(signal.At < reaction.At);
        Assert.Equal([LabEventKind.Terminating, LabEventKind.SignalSent, LabEventKind.Exited], log.Snapshot().Select(e => e.Kind));
    }

    [Fact]
    public void Events_recorded_now_are_appended_in_order()
    {
        var log = new LabEventLog();
        var first = log.Record(LabEventKind.Terminating, "r1");
        SpinUntilTheClockMoves(log, first.At);
        var second = log.Record(LabEventKind.SignalSent, "r1", "SIGTERM");

        Assert.True(second.At > first.At);
        Assert.Equal([first, second], log.Snapshot());
    }

    [Fact]
    public void A_time_on_the_logs_clock_and_its_stopwatch_timestamp_convert_both_ways()
    {
        // What hands the lab's events to the load's timeline at their own time (an exit stamped by its replica).
        var log = new LabEventLog();
        var before = Stopwatch.GetTimestamp();
        var at = log.TimeOf(before);
        var oneTick = Math.Max(1, Stopwatch.Frequency / TimeSpan.TicksPerSecond); // a TimeSpan keeps 100 ns, the Stopwatch here 1 ns
        Assert.InRange(log.TimestampOf(at) - before, -oneTick, oneTick);
        var later = at + TimeSpan.FromSeconds(2.5);
        Assert.Equal(2.5, Stopwatch.GetElapsedTime(before, log.TimestampOf(later)).TotalSeconds, 6);
    }

    private static void SpinUntilTheClockMoves(LabEventLog log, TimeSpan from) => SpinWait.SpinUntil(() => log.Now > from);
}
