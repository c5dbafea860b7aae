using System.Runtime.InteropServices;

namespace Lameduck.Init.Drain;

/// <summary>
/// Tells whether request bytes arrived on a local TCP port since the last look, on new connections or on
/// connections that were already open: the kernel's per-socket <c>tcpi_bytes_received</c> (what
/// <c>ss -ti</c> shows as bytes_received), read through sock_diag and compared socket by socket.
/// </summary>
/// <remarks>
/// <para>Traffic is payload the port received. A proxy that keeps its upstream connections alive
/// (ingress-nginx, HAProxy, Envoy, cloud L7 load balancers) sends each new request over a connection it
/// already has, so new connections alone say nothing; bytes do. Not traffic: a connection that is open but
/// idle, a TCP check that connects and closes without sending a byte, ACKs and keepalive probes (none of
/// them carries payload; the peer's FIN moves tcpi_bytes_received by one, which is taken off).</para>
/// <para>A socket not seen before counts when it has received bytes, or when it is already a TIME_WAIT mini
/// socket (no tcp_info): this side closed it, which a server does after answering (HTTP/1.0,
/// <c>Connection: close</c>), so it opened, carried a request and closed between two looks. A connection
/// the client closes first leaves nothing on the server's port once it is gone, so one whose whole life fits
/// between two looks is missed; a request on a known connection followed by that connection closing
/// within the same interval is missed too (its last bytes_received is lost with its tcp_info).</para>
/// <para>Each look costs the kernel a walk of its whole table of connections (~1 ms for 262,144 buckets, per
/// family), so at <see cref="Start"/> the port's listeners say which families to read: AF_INET for 0.0.0.0,
/// AF_INET6 for [::] (which also carries IPv4 clients of a dual-stack listener); both when no listener is found.</para>
/// <para>Sockets are keyed by their cookie, which the kernel never reuses and which a socket keeps into
/// TIME_WAIT. A dump spans several datagrams and can miss a socket whose hash bucket changed in between,
/// so a known socket is forgotten only after two looks without it (else it would come back "new" with
/// all its bytes).</para>
/// </remarks>
/// <example>
/// <code>
/// using var traffic = PortTraffic.Open(8080); // throws SockDiagException when sock_diag is unavailable
/// traffic.Start();                            // what is there now is not traffic
/// if (traffic.Poll()) Console.WriteLine($"{traffic.BytesReceived} bytes since Start");
/// </code>
/// </example>
internal sealed class PortTraffic : IDisposable
{
    private struct Known
    {
        public ulong BytesReceived; // payload bytes at the last look with tcp_info (0 if never)
        public int SeenAt;          // the look that last saw the socket
    }

    private readonly SockDiagSocket _diag;
    private readonly List<TcpSocketSample> _sockets = [];
    private readonly Dictionary<ulong, Known> _known = [];
    private readonly HashSet<ulong> _carried = [];
    private readonly List<ulong> _forget = [];
    private byte[] _families = [InetDiag.AF_INET, InetDiag.AF_INET6];
    private int _look;

    private PortTraffic(int port, SockDiagSocket diag)
    {
        Port = port;
        _diag = diag;
    }

    public int Port { get; }

    /// <summary>Payload bytes received on the port since <see cref="Start"/>, by the connections whose tcp_info showed them.</summary>
    public ulong BytesReceived { get; private set; }

    /// <summary>Connections that carried bytes since <see cref="Start"/> (those in <see cref="ClosedOnArrival"/> included).</summary>
    public int Connections => _carried.Count;

    /// <summary>New connections first seen already closed (TIME_WAIT): counted as traffic, their byte counts unknown.</summary>
    public int ClosedOnArrival { get; private set; }

    /// <summary>Connections ESTABLISHED at the last look.</summary>
    public int OpenConnections { get; private set; }

    /// <summary>
    /// Connections waiting for the app at the last look (<see cref="TcpSocketSample.WaitingForApp"/>: a handshake held
    /// back by a full accept queue, a connection not accepted yet, request bytes not read yet): the app is behind, and
    /// stopping it now would fail them.
    /// </summary>
    public int Waiting { get; private set; }

    /// <summary>Opens the sock_diag socket and reads the port once; throws <see cref="SockDiagException"/> saying what failed.</summary>
    public static PortTraffic Open(int port)
    {
        var diag = SockDiagSocket.Open();
        var traffic = new PortTraffic(port, diag);
        try
        {
            traffic.Look();
            return traffic;
        }
        catch
        {
            diag.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes the sockets there now as the baseline: their bytes so far are not traffic, and the counters restart.
    /// From now on only the families the port is listened on are read.
    /// </summary>
    public void Start()
    {
        _families = ListeningFamilies();
        _known.Clear();
        Look();
        BytesReceived = 0;
        ClosedOnArrival = 0;
        _carried.Clear();
    }

    /// <summary>Reads the port's sockets once; true when request bytes arrived since the last look.</summary>
    public bool Poll() => Look();

    private bool Look()
    {
        _sockets.Clear();
        foreach (var family in _families) _diag.Dump(family, Port, _sockets);
        int look = ++_look;
        bool traffic = false;
        int open = 0, waiting = 0;
        foreach (var socket in _sockets)
        {
            if (socket.LocalPort != Port) continue; // the kernel filtered already; this only guards the arithmetic
            if (socket.State == InetDiag.TCP_ESTABLISHED) open++;
            if (socket.WaitingForApp) waiting++;
            ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_known, socket.Cookie, out bool seen);
            if (socket.HasInfo)
            {
                ulong payload = socket.PayloadReceived;
                ulong grew = payload - (seen ? Math.Min(known.BytesReceived, payload) : 0);
                if (grew > 0)
                {
                    traffic = true;
                    BytesReceived += grew;
                    _carried.Add(socket.Cookie);
                }
                known.BytesReceived = payload;
            }
            else if (!seen && socket.State is InetDiag.TCP_TIME_WAIT or InetDiag.TCP_FIN_WAIT2)
            {
                traffic = true;
                ClosedOnArrival++;
                _carried.Add(socket.Cookie);
            }
            known.SeenAt = look;
        }
        OpenConnections = open;
        Waiting = waiting;

        foreach (var (cookie, known) in _known)
            if (look - known.SeenAt >= 2) _forget.Add(cookie);
        foreach (var cookie in _forget) _known.Remove(cookie);
        _forget.Clear();
        return traffic;
    }

    /// <summary>The port's listeners, by family (a LISTEN-only dump skips the connection table: cheap).</summary>
    private byte[] ListeningFamilies()
    {
        _sockets.Clear();
        _diag.Dump(InetDiag.AF_INET, Port, _sockets, 1u << InetDiag.TCP_LISTEN);
        bool inet = _sockets.Count > 0;
        _sockets.Clear();
        _diag.Dump(InetDiag.AF_INET6, Port, _sockets, 1u << InetDiag.TCP_LISTEN);
        bool inet6 = _sockets.Count > 0;
        return inet == inet6 ? [InetDiag.AF_INET, InetDiag.AF_INET6] : inet ? [InetDiag.AF_INET] : [InetDiag.AF_INET6];
    }

    public void Dispose() => _diag.Dispose();
}
