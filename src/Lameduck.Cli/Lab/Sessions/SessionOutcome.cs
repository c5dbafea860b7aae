namespace Lameduck.Cli.Lab.Sessions;

/// <summary>How a session ended.</summary>
public enum SessionOutcome
{
    /// <summary>
    /// The server told the client to go away and reconnect: a WebSocket close frame with 1001 (Going Away), or an
    /// SSE stream the server ended cleanly after a <c>retry:</c> field. What Lameduck's going-away helpers do.
    /// </summary>
    WentAway,
    /// <summary>The server ended the session cleanly without saying "go away": another close code (1000, 1011...), or an SSE stream that ended without <c>retry:</c>.</summary>
    Closed,
    /// <summary>
    /// The session broke without a goodbye: reset, end of stream without a WebSocket close frame (1006) or before the
    /// end of the SSE response, or silence past the timeout. What a killed process or an aborted connection gives.
    /// </summary>
    Cut,
    /// <summary>The lab closed it (the run was over); not counted as an end.</summary>
    Stopped,
}

/// <summary>Names of <see cref="SessionOutcome"/> in reports.</summary>
public static class SessionOutcomes
{
    /// <summary><c>went_away</c>, <c>closed</c>, <c>cut</c> or <c>stopped</c> (JSON).</summary>
    public static string Name(this SessionOutcome outcome) => outcome switch
    {
        SessionOutcome.WentAway => "went_away",
        SessionOutcome.Closed => "closed",
        SessionOutcome.Cut => "cut",
        _ => "stopped",
    };
}
