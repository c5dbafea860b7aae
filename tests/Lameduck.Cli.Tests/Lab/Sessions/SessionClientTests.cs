using System.Diagnostics;
using Lameduck.Cli.Lab.Sessions;

namespace Lameduck.Cli.Tests.Lab.Sessions;

/// <summary>
/// The session clients' classification of how a session ended, against a real Kestrel that ends it on purpose:
/// close 1001 is "went away", another close code or an SSE end without <c>retry:</c> is "closed", a dropped
/// connection or silence is "cut"; an attempt that never got its first echo or event is not a session.
/// </summary>
public sealed class SessionClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private SessionServer _server = null!;

    public async Task InitializeAsync() => _server = await SessionServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SessionSettings Settings(string how, TimeSpan? timeout = null) =>
        new(1, [SessionProtocol.WebSocket, SessionProtocol.Sse], "/ws/" + how, "/sse/" + how, timeout ?? Timeout);

    private async Task<(SessionEnd End, List<(string? Replica, TimeSpan At)> Established)> RunAsync(SessionProtocol protocol, SessionSettings settings)
    {
        using var client = SessionClient.Create(protocol, settings, () => _clock.Elapsed);
        var established = new List<(string?, TimeSpan)>();
        // Bounded: every case here ends on its own within a second or two; a hang must fail, not stall the suite.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var end = await client.RunAsync(_server.Address, replica => established.Add((replica, _clock.Elapsed)), guard.Token);
        Assert.False(guard.IsCancellationRequested, "the session did not end by itself within 30 s");
        return (end, established);
    }

    [Fact]
    public async Task WebSocket_close_1001_is_went_away_with_its_code_and_description()
    {
        var (end, established) = await RunAsync(SessionProtocol.WebSocket, Settings("going-away"));
        var (replica, at) = Assert.Single(established);
        Assert.Equal("p1", replica);
        Assert.True(end.Established);
        Assert.Equal("p1", end.Replica);
        Assert.Equal(SessionOutcome.WentAway, end.Outcome);
        Assert.Equal(1001, end.CloseCode);
        Assert.Equal("close 1001 (bye)", end.Reason);
        Assert.True(end.At >= at);
    }

    [Fact]
    public async Task WebSocket_close_1011_is_closed_not_went_away()
    {
        var (end, established) = await RunAsync(SessionProtocol.WebSocket, Settings("internal-error"));
        Assert.Single(established);
        Assert.Equal(SessionOutcome.Closed, end.Outcome);
        Assert.Equal(1011, end.CloseCode);
        Assert.Equal("close 1011 (oops)", end.Reason);
    }

    [Fact]
    public async Task WebSocket_dropped_without_a_close_frame_is_cut_1006()
    {
        var (end, established) = await RunAsync(SessionProtocol.WebSocket, Settings("abort"));
        Assert.Single(established);
        Assert.True(end.Established);
        Assert.Equal(SessionOutcome.Cut, end.Outcome);
        Assert.Equal(1006, end.CloseCode);
        // Kestrel's abort closes the socket: the client sees the end of the stream, or a reset when data was in flight.
        Assert.Contains(end.Reason, new[] { "EOF without close frame", "connection reset" });
    }

    [Fact]
    public async Task WebSocket_whose_echo_stops_is_cut_after_the_timeout_not_before()
    {
        var timeout = TimeSpan.FromMilliseconds(600);
        var (end, established) = await RunAsync(SessionProtocol.WebSocket, Settings("silent", timeout));
        var (_, at) = Assert.Single(established);
        Assert.Equal(SessionOutcome.Cut, end.Outcome);
        Assert.Equal("no echo within 600ms", end.Reason);
        // The unanswered echo goes out one interval (200 ms) after the answered one, and waits the whole timeout.
        Assert.True(end.At - at >= timeout, $"cut {end.At - at} after the last echo, before the {timeout} timeout");
    }

    [Fact]
    public async Task WebSocket_upgrade_answered_502_is_an_attempt_that_failed_not_a_session()
    {
        var (end, established) = await RunAsync(SessionProtocol.WebSocket, Settings("every-other-502"));
        Assert.Empty(established);
        Assert.False(end.Established);
        Assert.Equal("HTTP 502", end.Reason);
    }

    [Fact]
    public async Task SSE_ended_cleanly_after_retry_is_went_away()
    {
        var (end, established) = await RunAsync(SessionProtocol.Sse, Settings("going-away"));
        var (replica, at) = Assert.Single(established);
        Assert.Equal("p1", replica);
        Assert.True(end.Established);
        Assert.Equal(SessionOutcome.WentAway, end.Outcome);
        Assert.Null(end.CloseCode);
        Assert.Equal("stream ended after retry: 1000 ms", end.Reason);
        Assert.True(end.At >= at);
    }

    [Fact]
    public async Task SSE_ended_cleanly_without_retry_is_closed()
    {
        var (end, established) = await RunAsync(SessionProtocol.Sse, Settings("end"));
        Assert.Single(established);
        Assert.Equal(SessionOutcome.Closed, end.Outcome);
        Assert.Equal("stream ended without retry:", end.Reason);
    }

    [Fact]
    public async Task SSE_dropped_before_the_end_of_the_response_is_cut()
    {
        var (end, established) = await RunAsync(SessionProtocol.Sse, Settings("abort"));
        Assert.Single(established);
        Assert.Equal(SessionOutcome.Cut, end.Outcome);
        Assert.Contains(end.Reason, new[] { "EOF before the end of the stream", "connection reset" });
    }

    [Fact]
    public async Task SSE_that_only_says_going_away_is_an_attempt_that_failed_not_a_session()
    {
        // A replica already in its lame-duck window: the stream carries the going-away event and ends at once.
        var (end, established) = await RunAsync(SessionProtocol.Sse, Settings("going-away-at-once"));
        Assert.Empty(established);
        Assert.False(end.Established);
        Assert.Equal(SessionOutcome.WentAway, end.Outcome);
        Assert.Equal("p1", end.Replica);
    }

    [Theory]
    [InlineData(SessionProtocol.WebSocket)]
    [InlineData(SessionProtocol.Sse)]
    public async Task Nothing_listening_is_an_attempt_that_failed_with_connection_refused(SessionProtocol protocol)
    {
        using var client = SessionClient.Create(protocol, Settings("echo"), () => _clock.Elapsed);
        var closedPort = Lameduck.Cli.Lab.Replicas.FreePort.Next();
        var end = await client.RunAsync(new Uri($"http://127.0.0.1:{closedPort}/"), _ => Assert.Fail("established"), CancellationToken.None);
        Assert.False(end.Established);
        Assert.Equal("connection refused", end.Reason);
    }

    [Fact]
    public async Task Stop_closes_an_open_WebSocket_politely_and_reports_stopped()
    {
        using var client = SessionClient.Create(SessionProtocol.WebSocket, Settings("echo"), () => _clock.Elapsed);
        using var stop = new CancellationTokenSource();
        var echoing = new TaskCompletionSource();
        var run = client.RunAsync(_server.Address, _ => echoing.SetResult(), stop.Token);
        await echoing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        var end = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(end.Established);
        Assert.Equal(SessionOutcome.Stopped, end.Outcome);
    }
}
