namespace Lameduck.Cli.Lab.Sessions;

/// <summary>
/// How one connection of a session ended, as the client saw it.
/// </summary>
/// <param name="Established">
/// False when the attempt never got its first echo (WebSocket) or first event (SSE): refused, an HTTP error from the
/// ingress, or sent away at once by a replica already in its lame-duck window. Such an attempt is not a session.
/// </param>
/// <param name="Replica">The replica the ingress sent it to (<c>X-Pod-Name</c>), or null when the app does not say.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="CloseCode">
/// WebSocket only: the server's close code (1001 Going Away, 1011...), or 1006, the code RFC 6455 reserves for a
/// connection that ended without a close frame (what browsers report for a cut). Null for SSE.
/// </param>
/// <param name="Reason">What the client saw, in words: <c>close 1001 (server is shutting down; reconnect)</c>, <c>connection reset</c>.</param>
/// <param name="At">When the client noticed the end, on the lab's clock.</param>
public sealed record SessionEnd(bool Established, string? Replica, SessionOutcome Outcome, int? CloseCode, string Reason, TimeSpan At);
