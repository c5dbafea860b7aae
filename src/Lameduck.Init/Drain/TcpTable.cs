using System.Globalization;

namespace Lameduck.Init.Drain;

/// <summary>
/// Reads the kernel's socket tables (/proc/net/tcp and /proc/net/tcp6) for the connections on one local port.
/// Each line is <c>sl local_address rem_address st ...</c> with addresses as hex <c>ADDR:PORT</c>
/// and the state as hex (01 ESTABLISHED, 03 SYN_RECV, 06 TIME_WAIT, 0A LISTEN ...).
/// </summary>
internal static class TcpTable
{
    public const string Listen = "0A";
    public const string Established = "01";

    /// <summary>The files read; /proc/net is the network namespace of this process, shared by the whole pod.</summary>
    public static readonly string[] ProcFiles = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary>
    /// Adds to <paramref name="connections"/> one key per connection on <paramref name="localPort"/>
    /// (<c>local remote</c>, hex as the kernel writes it) in any state but LISTEN, and returns how many are ESTABLISHED.
    /// </summary>
    /// <remarks>
    /// Closing states count too: a short connection opened and closed between two reads still leaves a
    /// TIME_WAIT or CLOSE_WAIT line, so it is seen as new. The key is the address pair, not the inode:
    /// the inode is 0 before accept() and again in TIME_WAIT, and would make one connection look new twice.
    /// </remarks>
    public static int Read(int localPort, HashSet<string> connections)
    {
        int established = 0;
        foreach (var file in ProcFiles)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                continue; // tcp6 is absent when IPv6 is disabled
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            established += Parse(text, localPort, connections);
        }
        return established;
    }

    /// <summary>Parses one table's text; see <see cref="Read"/>.</summary>
    public static int Parse(string table, int localPort, HashSet<string> connections)
    {
        int established = 0;
        foreach (var rawLine in table.Split('\n'))
        {
            var fields = rawLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || !fields[0].EndsWith(':')) continue; // header or blank
            var local = fields[1];
            int colon = local.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)) continue;
            if (port != localPort) continue;
            var state = fields[3];
            if (state == Listen) continue;
            if (state == Established) established++;
            connections.Add(local + " " + fields[2]);
        }
        return established;
    }
}
