using System.Diagnostics;
using Lameduck.Cli.Lab.Sessions;

namespace Lameduck.Cli.Tests.Lab.Sessions;

/// <summary>The pool reconnects each session when it ends and records the end, the replica it got back, the gap and the attempts.</summary>
public sealed class SessionPoolTests : IAsyncLifetime
{
    /// <summary>How much earlier than asked a .NET timer (Task.Delay) may end, measured on a Stopwatch.</summary>
    private static readonly TimeSpan CoarseTimerSlack = TimeSpan.FromMilliseconds(5);

    private SessionServer _server = null!;

    public async Task InitializeAsync() => _server = await SessionServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_session_sent_away_reconnects_at_once_and_every_failed_attempt_is_counted()
    {
        // Every other upgrade gets a 502, and every session is sent away (1001) after three echoes (~0.4 s): each
        // reconnection takes two attempts, one pause of 50 ms apart. One session, so the server's odd/even count is its own.
        var settings = new SessionSettings(1, [SessionProtocol.WebSocket], "/ws/every-other-502", "/sse/going-away", TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        var pool = new SessionPool(settings, _server.Address, () => clock.Elapsed);
        using var stop = new CancellationTokenSource();
        var running = pool.RunAsync(stop.Token);
        // Wait for a few sessions to have come and gone, not for a fixed time.
        var deadline = Stopwatch.StartNew();
        while (pool.Opened < 4 && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        await stop.CancelAsync();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Opened >= 4, $"only {result.Opened} sessions opened in 30 s");
        // Every session opened either ended (and is recorded) or was still open when the pool stopped.
        Assert.Equal(result.Opened, result.Ended.Count + result.OpenAtEnd);
        Assert.All(result.Ended, r =>
        {
            Assert.Equal(SessionOutcome.WentAway, r.End.Outcome);
            Assert.Equal(1001, r.End.CloseCode);
            Assert.Equal("p1", r.Replica);
            Assert.True(r.End.At >= r.ConnectedAt);
        });
        var reconnected = result.Ended.Where(r => r.ReconnectedTo is not null).ToArray();
        Assert.NotEmpty(reconnected);
        Assert.All(reconnected, r =>
        {
            Assert.Equal("p1", r.ReconnectedTo);
            Assert.Equal(2, r.Attempts); // the 502, then the upgrade
            Assert.Equal("HTTP 502 from p1", r.LastFailure); // the 502 came from the replica, which names itself
            // At least the 50 ms pause after the 502, less the 5 ms by which .NET's timers may end early on this
            // clock: they run on the coarse tick count (CLOCK_MONOTONIC_COARSE, ~4 ms steps; dotnet/runtime#45585),
            // the gap on a Stopwatch (one full run saw 49.6 ms). A reconnect without the pause takes a few ms on
            // loopback, far below. 1 s leaves room for a loaded machine while a client that backed off longer (or
            // waited for a timeout) fails.
            Assert.InRange(r.Gap!.Value, settings.RetryPause - CoarseTimerSlack, TimeSpan.FromSeconds(1));
        });
        Assert.True(result.FailedAttempts["HTTP 502"] >= reconnected.Length);
        Assert.Equal(result.Gaps.Max(), result.GapMax);
    }

    /// <summary>
    /// The lab's run ends when its rollout does, which is the instant the last old pod exits: its sessions are being
    /// reset at that moment, and one whose reset had not reached it yet was closed as "open at the end" instead of
    /// counted cut (a full run: 5 of 6 sessions cut on the old pods, not 6). A session on a replica that has exited
    /// now sees its cut, and reconnects; one on a live replica still closes at once (no cut follows there: a cut
    /// arriving in the microseconds between the stop and the client's next look at it would be counted, rightly).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_the_run_ends_a_session_on_an_exited_replica_sees_its_cut_and_one_on_a_live_replica_closes_at_once(bool replicaExited)
    {
        var settings = new SessionSettings(1, [SessionProtocol.WebSocket], "/ws/echo-until-cut", "/sse/end", TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        int exited = 0;
        var pool = new SessionPool(settings, _server.Address, () => clock.Elapsed, replica => replica == "p1" && Volatile.Read(ref exited) == 1);
        using var stop = new CancellationTokenSource();
        var running = pool.RunAsync(stop.Token);
        await pool.AllOpen.WaitAsync(TimeSpan.FromSeconds(30));

        if (replicaExited) Volatile.Write(ref exited, 1);
        await stop.CancelAsync();
        var stoppedAt = clock.Elapsed;
        if (!replicaExited)
        {
            var result1 = await running.WaitAsync(TimeSpan.FromSeconds(30));
            // Closed politely at once (a close frame and its answer: milliseconds; at most twice the client's 1 s wait
            // for them), not held for the wind-down, which ends 5 s (the Timeout) after the stop.
            var closedAfter = clock.Elapsed - stoppedAt;
            Assert.True(closedAfter < TimeSpan.FromSeconds(4), $"the session on a live replica closed {closedAfter} after the stop");
            Assert.Equal(1, result1.OpenAtEnd);
            Assert.Empty(result1.Ended);
            Assert.Equal(1, result1.Opened);
            return;
        }
        // The reset reaches the session only after the run is over.
        _server.CutSessions();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.OpenAtEnd);
        var cut = Assert.Single(result.Ended);
        Assert.Equal(SessionOutcome.Cut, cut.End.Outcome);
        Assert.Equal(WebSocketSessionClient.AbnormalClosure, cut.End.CloseCode);
        Assert.Equal("p1", cut.Replica);
        Assert.True(cut.End.At >= stoppedAt, $"the cut came after the stop ({stoppedAt}), recorded at {cut.End.At}");
        Assert.Equal("p1", cut.ReconnectedTo); // then it got its session back, and that one closed at the end
        Assert.Equal(2, result.Opened);
    }
}
