using System.Globalization;

namespace DrainPoll;

/// <summary>
/// The baseline: how lameduck-init read the drain port before sock_diag (src/Lameduck.Init/Drain/TcpTable.cs and
/// QuietWatcher.cs at commit e5abec3), kept here only so the benchmark measures both readers in the same run.
/// One poll = read /proc/net/tcp and /proc/net/tcp6, collect the port's (local, remote) pairs in a new set, and
/// compare it with the previous poll's.
/// </summary>
internal sealed class ProcNetTcpReader(int port)
{
    private HashSet<string> _previous = [];

    /// <summary>One poll; returns how many address pairs were new (the old "new connections").</summary>
    public int Poll()
    {
        var current = new HashSet<string>(_previous.Count + 8);
        foreach (var file in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            string text;
            try { text = File.ReadAllText(file); }
            catch (IOException) { continue; }
            Parse(text, port, current);
        }
        int fresh = 0;
        foreach (var key in current)
            if (!_previous.Contains(key)) fresh++;
        _previous = current;
        return fresh;
    }

    private static void Parse(string table, int localPort, HashSet<string> connections)
    {
        foreach (var rawLine in table.Split('\n'))
        {
            var fields = rawLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || !fields[0].EndsWith(':')) continue;
            var local = fields[1];
            int colon = local.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p)) continue;
            if (p != localPort || fields[3] == "0A") continue;
            connections.Add(local + " " + fields[2]);
        }
    }
}
