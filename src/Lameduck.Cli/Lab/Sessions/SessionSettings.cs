namespace Lameduck.Cli.Lab.Sessions;

/// <summary>The long-lived sessions a lab run holds open through the rollout (<c>--sessions</c>).</summary>
/// <param name="Count">Sessions per protocol.</param>
/// <param name="Protocols">WebSocket, SSE, or both (then <paramref name="Count"/> of each).</param>
/// <param name="WebSocketPath">The app's WebSocket endpoint (HelloService: <c>/ws</c>, an echo).</param>
/// <param name="SsePath">The app's event-stream endpoint (HelloService: <c>/sse</c>, a tick per second).</param>
/// <param name="Timeout">Longest wait for a connection, an echo or an event before the session counts as cut.</param>
public sealed record SessionSettings(int Count, IReadOnlyList<SessionProtocol> Protocols, string WebSocketPath, string SsePath, TimeSpan Timeout)
{
    /// <summary>The header a replica names itself in (HelloService sets it from <c>POD_NAME</c>).</summary>
    public const string PodNameHeader = "X-Pod-Name";

    /// <summary>How often a WebSocket session sends an echo: often enough that a dead session is noticed within a few hundred ms.</summary>
    public TimeSpan EchoInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Pause after an attempt that did not become a session (refused, 502, sent away at once) before the next one.
    /// Reconnecting "at once" in a tight loop would hammer the ingress thousands of times a second while no
    /// replica takes the session; 50 ms is a reconnecting app's first back-off step and small beside the gaps measured.
    /// </summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>True when any session is to be held.</summary>
    public bool Any => Count > 0 && Protocols.Count > 0;

    /// <summary>The endpoint of <paramref name="protocol"/>.</summary>
    public string PathOf(SessionProtocol protocol) => protocol == SessionProtocol.WebSocket ? WebSocketPath : SsePath;
}
