// The cost of lameduck-init's read of its drain port (bench/init/drain.sh runs this and prints the Markdown).
//
//   dotnet DrainPoll.dll NEW_LAMEDUCK_INIT [OLD_LAMEDUCK_INIT] [--sizes 10,1000,10000] [--window 10]
//
// For each size N: a listener on 127.0.0.1 with N open connections (the client ends in a python3 child, so the
// two ends do not share one process's descriptor limit). Then, in this process and in the same run:
//   1. one read, timed over many reads, by each reader: PortTraffic.Poll (sock_diag, port filtered in the kernel,
//      both families, what lameduck-init does every quiet-period / 10), a sock_diag dump without the filter (what
//      filtering in user space would have to receive), and the /proc/net/tcp{,6} reader it replaced;
//   2. the real NativeAOT binaries over a whole lame-duck window: `BIN --delay Ws --drain-port P --quiet-period Ws`,
//      SIGTERM, and the CPU time (utime + stime from /proc/PID/stat) it used in the W seconds after, polling every
//      100 ms with no traffic, so the window lasts W s for both binaries; also without --drain-port, the floor.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DrainPoll;
using Lameduck.Init.Drain;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToList();
if (positional.Count < 1)
{
    Console.Error.WriteLine("usage: DrainPoll NEW_LAMEDUCK_INIT [OLD_LAMEDUCK_INIT] [--sizes 10,1000,10000] [--window 10]");
    return 2;
}
string newInit = positional[0];
string? oldInit = positional.Count > 1 ? positional[1] : null;
int[] sizes = Option("--sizes", "10,1000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
int window = int.Parse(Option("--window", "10"), CultureInfo.InvariantCulture);

var reads = new List<string>();
var windows = new List<string>();
foreach (int n in sizes)
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start(backlog: 4096);
    int port = ((IPEndPoint)listener.LocalEndpoint).Port;
    using var clients = ClientHolder.Start(port, n);
    var accepted = new List<Socket>(n);
    while (accepted.Count < n) accepted.Add(listener.AcceptSocket());
    clients.WaitUntilConnected();

    int polls = n >= 10_000 ? 100 : 500;
    using (var traffic = PortTraffic.Open(port))
    {
        traffic.Start();
        var poll = Measure(polls, () => traffic.Poll());
        reads.Add(Row(n, "sock_diag, port filter in the kernel (lameduck-init)", poll, $"{traffic.OpenConnections} sockets"));
    }
    using (var diag = SockDiagSocket.Open())
    {
        var sockets = new List<TcpSocketSample>();
        int onPort = 0;
        var unfiltered = Measure(polls, () =>
        {
            sockets.Clear();
            DumpWithoutFilter(diag, InetDiag.AF_INET, sockets);
            DumpWithoutFilter(diag, InetDiag.AF_INET6, sockets);
            onPort = sockets.Count(s => s.LocalPort == port);
        });
        reads.Add(Row(n, "sock_diag, no filter (user-space filter)", unfiltered, $"{sockets.Count} sockets received, {onPort} on the port"));
    }
    var old = new ProcNetTcpReader(port);
    old.Poll();
    reads.Add(Row(n, "/proc/net/tcp{,6} (lameduck-init before)", Measure(polls, () => old.Poll()), ""));

    windows.Add(WindowRow(n, "lameduck-init (sock_diag)", newInit, ["--drain-port", port.ToString(CultureInfo.InvariantCulture), "--quiet-period", $"{window}s"]));
    if (oldInit is not null)
        windows.Add(WindowRow(n, "lameduck-init before (/proc/net/tcp)", oldInit, ["--drain-port", port.ToString(CultureInfo.InvariantCulture), "--quiet-period", $"{window}s"]));
    windows.Add(WindowRow(n, "lameduck-init, no --drain-port (floor)", newInit, []));

    foreach (var socket in accepted) socket.Dispose();
}

Console.WriteLine($"One read of the port, in-process (.NET {Environment.Version}, JIT; {Environment.ProcessorCount} cores, load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0..3].Aggregate((a, b) => a + " " + b)}):");
Console.WriteLine();
Console.WriteLine("| connections on the port | reader | wall p50 / p90 / p99 (µs) | CPU per read (µs, user + kernel) | CPU at 10 reads/s | notes |");
Console.WriteLine("|---:|---|---|---:|---:|---|");
foreach (var row in reads) Console.WriteLine(row);
Console.WriteLine();
Console.WriteLine($"The NativeAOT binary over a {window} s lame-duck window with no traffic (reads every 100 ms), CPU from /proc/PID/stat:");
Console.WriteLine();
Console.WriteLine($"| connections on the port | binary | CPU in the {window} s window | share of one core | VmHWM |");
Console.WriteLine("|---:|---|---:|---:|---:|");
foreach (var row in windows) Console.WriteLine(row);
return 0;

string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static (double[] WallMicros, double CpuMicrosPerRead) Measure(int count, Action read)
{
    for (int i = 0; i < 10; i++) read(); // warm-up: JIT, tiering, buffers
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var walls = new double[count];
    for (int i = 0; i < count; i++)
    {
        long start = Stopwatch.GetTimestamp();
        read();
        walls[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    process.Refresh();
    return (walls, (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / count);
}

static string Row(int n, string reader, (double[] WallMicros, double CpuMicrosPerRead) m, string notes)
{
    var sorted = m.WallMicros.Order().ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    return $"| {n:N0} | {reader} | {P(0.5):N0} / {P(0.9):N0} / {P(0.99):N0} | {m.CpuMicrosPerRead:N0} | {m.CpuMicrosPerRead * 10 / 1e4:0.00} % | {notes} |";
}

// The lameduck-init request without its INET_DIAG_REQ_BYTECODE attribute: every TCP socket of the family.
static void DumpWithoutFilter(SockDiagSocket diag, byte family, List<TcpSocketSample> sockets)
{
    const int withoutBytecode = InetDiag.NlMsgHeaderSize + InetDiag.RequestSize;
    uint sequence = diag.NextSequence();
    Span<byte> request = stackalloc byte[InetDiagRequest.Size];
    InetDiagRequest.Write(request, family, 0, sequence);
    BitConverter.TryWriteBytes(request, (uint)withoutBytecode); // nlmsg_len
    diag.Dump(request[..withoutBytecode], sequence, sockets);
}

string WindowRow(int n, string name, string binary, string[] drain)
{
    var info = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardInput = true };
    foreach (var a in (string[])["--delay", $"{window}s", "--grace-period", $"{window + 30}s", .. drain, "--", "sleep", "600"]) info.ArgumentList.Add(a);
    using var init = Process.Start(info)!;
    var stderr = init.StandardError.ReadToEndAsync();
    Thread.Sleep(500); // started, the app spawned
    long before = CpuTicks(init.Id);
    kill(init.Id, 15);
    Thread.Sleep(TimeSpan.FromSeconds(window) - TimeSpan.FromMilliseconds(200)); // the window, less its end
    long after = CpuTicks(init.Id);
    string hwm = File.ReadAllLines($"/proc/{init.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))[6..].Trim();
    if (!init.WaitForExit(TimeSpan.FromSeconds(30))) init.Kill(entireProcessTree: true);
    if (!stderr.Result.Contains(" stop: ", StringComparison.Ordinal)) throw new InvalidOperationException($"{binary} did not end its window:\n{stderr.Result}");
    double ms = (after - before) * 1000.0 / 100; // USER_HZ = 100
    double seconds = window - 0.2;
    return $"| {n:N0} | {name} | {ms:N0} ms | {ms / (seconds * 1000) * 100:0.00} % | {hwm} |";
}

static long CpuTicks(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
}

[System.Runtime.InteropServices.DllImport("libc")]
static extern int kill(int pid, int sig);

/// <summary>The client ends of the N connections, in a python3 child (its own descriptor limit), held until disposed.</summary>
internal sealed class ClientHolder : IDisposable
{
    private const string Script = """
        import resource, socket, sys
        port, n = int(sys.argv[1]), int(sys.argv[2])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
        held = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
        print("connected", flush=True)
        sys.stdin.read()
        """;

    private readonly Process _process;

    private ClientHolder(Process process) => _process = process;

    public static ClientHolder Start(int port, int count)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-c", Script, port.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture)]) info.ArgumentList.Add(a);
        return new ClientHolder(Process.Start(info)!);
    }

    public void WaitUntilConnected()
    {
        if (_process.StandardOutput.ReadLine() != "connected") throw new InvalidOperationException("the client holder failed");
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill();
        _process.Dispose();
    }
}
