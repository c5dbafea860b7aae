using System.Diagnostics;
using Lameduck.Cli.Lab.Sessions;

namespace Lameduck.Cli.Tests.Lab.Sessions;

/// <summary>The pool reconnects each session when it ends and records the end, the replica it got back, the gap and the attempts.</summary>
public sealed class SessionPoolTests : IAsyncLifetime
{
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
            // At least the 50 ms pause after the 502; on loopback a connect + upgrade + echo takes a few ms, so 1 s
            // leaves room for a loaded machine while a client that backed off longer (or waited for a timeout) fails.
            Assert.InRange(r.Gap!.Value, settings.RetryPause, TimeSpan.FromSeconds(1));
        });
        Assert.True(result.FailedAttempts["HTTP 502"] >= reconnected.Length);
        Assert.Equal(result.Gaps.Max(), result.GapMax);
    }
}
