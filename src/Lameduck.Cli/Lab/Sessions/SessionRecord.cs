namespace Lameduck.Cli.Lab.Sessions;

/// <summary>
/// One session that ended during the run, and how its client got back: which replica took the new session and how
/// long the client was without one. Times are on the lab's clock.
/// </summary>
/// <param name="Protocol">WebSocket or SSE.</param>
/// <param name="Number">Which of the <c>--sessions</c> (1-based, per protocol); a number keeps its number across reconnects.</param>
/// <param name="ConnectedAt">When the session was established (its first echo or event).</param>
/// <param name="End">How it ended.</param>
/// <param name="ReconnectedTo">The replica of the next session, or null when none was established before the run ended.</param>
/// <param name="ReconnectedAt">When the next session was established (its first echo or event).</param>
/// <param name="Attempts">Connection attempts it took to get a session back (1 when the first one worked).</param>
/// <param name="LastFailure">Why the last failed attempt failed (e.g. <c>HTTP 502</c>, a replica that sent it away at once), or null.</param>
public sealed record SessionRecord(
    SessionProtocol Protocol, int Number, TimeSpan ConnectedAt, SessionEnd End,
    string? ReconnectedTo, TimeSpan? ReconnectedAt, int Attempts, string? LastFailure)
{
    /// <summary>The replica the session was on (null when the app does not send <c>X-Pod-Name</c>).</summary>
    public string? Replica => End.Replica;

    /// <summary>From the end of this session to the first echo or event of the next one.</summary>
    public TimeSpan? Gap => ReconnectedAt - End.At;
}
