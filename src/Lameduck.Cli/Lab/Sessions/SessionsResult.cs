namespace Lameduck.Cli.Lab.Sessions;

/// <summary>What the sessions saw during one lab run.</summary>
/// <param name="Settings">The sessions that were held.</param>
/// <param name="Ended">Every session that ended before the lab closed it, in the order they ended.</param>
/// <param name="Opened">Sessions established in all (the first ones and every reconnection).</param>
/// <param name="OpenAtEnd">Sessions still open when the run ended (the lab closed them).</param>
/// <param name="FailedAttempts">Attempts that did not become a session, by reason (<c>HTTP 502</c>, <c>connection refused</c>...).</param>
public sealed record SessionsResult(
    SessionSettings Settings, IReadOnlyList<SessionRecord> Ended, int Opened, int OpenAtEnd, IReadOnlyDictionary<string, int> FailedAttempts)
{
    /// <summary>Ended sessions with <paramref name="outcome"/>.</summary>
    public int Count(SessionOutcome outcome) => Ended.Count(r => r.End.Outcome == outcome);

    /// <summary>Every reconnect gap, shortest first.</summary>
    public IReadOnlyList<TimeSpan> Gaps => Ended.Where(r => r.Gap is not null).Select(r => r.Gap!.Value).Order().ToArray();

    /// <summary>The median reconnect gap (nearest rank), or null without a reconnection.</summary>
    public TimeSpan? GapP50 => Gaps is { Count: > 0 } g ? g[(int)Math.Ceiling(g.Count * 0.5) - 1] : null;

    /// <summary>The longest reconnect gap, or null without a reconnection.</summary>
    public TimeSpan? GapMax => Gaps is { Count: > 0 } g ? g[^1] : null;
}
