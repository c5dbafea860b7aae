using System.Diagnostics;

namespace Lameduck.Init.Drain;

/// <summary>
/// Tells when a port has had no new connection for a quiet period: the sign that load balancers have
/// stopped sending traffic to this pod, so the lame-duck window can end before its full delay.
/// </summary>
/// <example>
/// <code>
/// var watcher = new QuietWatcher(8080, TimeSpan.FromSeconds(1), Stopwatch.GetTimestamp());
/// while (!watcher.Poll(Stopwatch.GetTimestamp())) Thread.Sleep(watcher.PollInterval);
/// </code>
/// </example>
internal sealed class QuietWatcher
{
    private HashSet<string> _previous = [];
    private long _lastNewConnection;

    /// <summary>Starts watching; connections present now are not new, and the quiet period starts at <paramref name="start"/>.</summary>
    public QuietWatcher(int port, TimeSpan quietPeriod, long start)
    {
        Port = port;
        QuietPeriod = quietPeriod;
        _lastNewConnection = start;
        TcpTable.Read(port, _previous);
        // Reads fast enough to see a connection's lines (they stay for 60 s in TIME_WAIT), cheap enough for 2 cores.
        PollInterval = TimeSpan.FromMilliseconds(Math.Clamp(quietPeriod.TotalMilliseconds / 10, 10, 100));
    }

    public int Port { get; }

    public TimeSpan QuietPeriod { get; }

    public TimeSpan PollInterval { get; }

    /// <summary>Connections ESTABLISHED at the last poll.</summary>
    public int Established { get; private set; }

    /// <summary>New connections seen since watching began.</summary>
    public int NewConnections { get; private set; }

    /// <summary>Reads the tables once; true when no new connection has appeared for the quiet period.</summary>
    public bool Poll(long now)
    {
        var current = new HashSet<string>(_previous.Count + 8);
        Established = TcpTable.Read(Port, current);
        foreach (var key in current)
        {
            if (!_previous.Contains(key))
            {
                NewConnections++;
                _lastNewConnection = now;
            }
        }
        _previous = current;
        return Stopwatch.GetElapsedTime(_lastNewConnection, now) >= QuietPeriod;
    }
}
