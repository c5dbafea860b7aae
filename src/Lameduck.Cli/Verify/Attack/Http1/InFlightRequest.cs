namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>A request sent and not finished: what its record needs, and where it is. Pooled by the engine.</summary>
internal sealed class InFlightRequest
{
    public long Seq;
    public long ScheduledUs;
    public long SentUs;
    /// <summary>When it times out (<see cref="System.Diagnostics.Stopwatch"/> timestamp): first send + timeout, resends included.</summary>
    public long DeadlineTicks;
    /// <summary>Connections the request was written to (a resend writes it to another).</summary>
    public int ConnectionsWritten;
    /// <summary>Resends made (at most <see cref="Http1Engine.MaxResends"/>).</summary>
    public int Resends;
    /// <summary>The connection carrying it now.</summary>
    public Http1Connection? Connection;
    /// <summary>Its index in the engine's in-flight list (for removal in O(1)).</summary>
    public int Index;

    /// <summary>Resends the record reports: connections written to beyond the first.</summary>
    public int Retries => Math.Max(0, ConnectionsWritten - 1);
}
