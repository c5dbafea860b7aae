namespace Lameduck;

/// <summary>Where a process is in the shutdown sequence. Values only ever increase.</summary>
/// <example><code>if (lameduck.Phase &gt;= LameduckPhase.LameDuck) { /* stop taking new long-lived work */ }</code></example>
public enum LameduckPhase
{
    /// <summary>Normal operation: readiness passes.</summary>
    Serving = 0,

    /// <summary>A stop signal arrived: readiness fails, requests are still served, keep-alive connections are told to close.</summary>
    LameDuck = 1,

    /// <summary>The host is stopping: listeners are closed and in-flight work finishes until the deadline.</summary>
    Draining = 2,

    /// <summary>The host has stopped; the process is about to exit.</summary>
    Stopped = 3,
}
