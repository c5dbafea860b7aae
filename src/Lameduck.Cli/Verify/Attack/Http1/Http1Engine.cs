using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>
/// The engine for plain <c>http://</c> HTTP/1.1 on Linux, made for high open-model rates: ONE thread keeps the
/// schedule and does all the socket I/O (wrk's design), with epoll over non-blocking raw sockets. A due request
/// takes an idle keep-alive connection (or opens one) and is written at once; its response is parsed as it is
/// read; its record goes to the results queue. No thread hop, no task, no exception per request.
/// </summary>
/// <remarks>
/// Resends follow SocketsHttpHandler (what docs/verify.md documents and the tests pin): a request whose
/// connection reached end of stream (FIN) before any response byte is sent again, on an idle connection or a new
/// one, up to <see cref="MaxResends"/> times, fresh connection or not; a reset (RST) or a timeout is not resent.
/// An idle connection the server closed is dropped from the pool when epoll reports it, as the handler's
/// read-ahead does. The timeout counts from the first send, resends included.
/// The per-request methods are compiled optimized at once (<c>AggressiveOptimization</c>): tier-0 code and
/// on-stack replacement of the long-running loop would otherwise show as send lag in the first second of a run.
/// </remarks>
internal sealed unsafe class Http1Engine : ILoadEngine
{
    /// <summary>Resends of one request at most (SocketsHttpHandler's <c>MaxConnectionFailureRetries</c>).</summary>
    public const int MaxResends = 3;

    private const int ReceiveBufferSize = 64 * 1024;
    private const int EventCapacity = 1024;
    /// <summary>Most requests sent between two polls of the sockets.</summary>
    private const int MaxBatch = 64;
    private const uint ReadEvents = LibC.EpollIn | LibC.EpollRdHup;
    /// <summary>What epoll reports when a non-blocking connect has ended, in success or failure.</summary>
    private const uint ConnectDoneEvents = LibC.EpollOut | LibC.EpollErr | LibC.EpollHup;

    /// <summary>
    /// From this rate on the loop never sleeps while scheduling: it polls epoll without a timeout, like wrk. Each
    /// sleep costs a timer and a wake-up (measured on this 2-core VM at 10,000 req/s: most of the engine's ~30-50 µs
    /// of CPU per request), and at 20,000 req/s and more the thread has work every few tens of µs anyway. Polling,
    /// it runs at normal priority: a real-time thread that never sleeps is throttled by the kernel (50 ms a second).
    /// </summary>
    public const double BusyPollRate = 20_000;

    /// <summary>
    /// Below <see cref="BusyPollRate"/>: shortest time between two timer wake-ups (200 µs); the loop sends what fell
    /// due meanwhile in one go, which bounds timer wake-ups to 5,000 a second for at most 200 µs of send lag (the
    /// report shows it). The sleep itself is precise (epoll_pwait2, 1 µs timer slack): no spinning before a due time.
    /// Measured at 10,000 req/s against nginx on the 2-core VM: 100 µs cost 48–51 µs of CPU per request (send lag
    /// p99 0.08 ms), 200 µs 34–39 µs (p99 0.18 ms); the difference is the kernel's sleep and wake-up.
    /// </summary>
    private static readonly long WakeQuantumTicks = Stopwatch.Frequency / 5_000;
    /// <summary>How often deadlines are checked (and the longest wait, so a stop is noticed soon).</summary>
    private static readonly long HousekeepingTicks = Stopwatch.Frequency / 200; // 5 ms

    private readonly LoadOptions _options;
    private readonly int _maxInFlight;
    private readonly long _timeoutTicks;
    private readonly bool _headRequest;
    private readonly bool _busyPoll;
    private readonly byte* _request;
    private readonly int _requestLength;
    private readonly byte* _receive;
    private readonly Epoll _epoll;
    private readonly List<Http1Connection?> _connections = [];
    private readonly Stack<int> _freeIds = new();
    private readonly List<int> _releasedIds = [];
    private readonly List<Http1Connection> _idle = [];
    private readonly List<InFlightRequest> _inFlightList = [];
    private readonly Stack<InFlightRequest> _requestPool = new();
    private readonly double _microsecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private readonly TargetAddress? _address;
    private ResultsQueue _results = null!;
    private RequestResult[] _batch = null!;
    private int _batchCount;
    private long _t0;
    private long _scheduled;
    private long _inFlight;
    private bool _disposed;

    public Http1Engine(LoadOptions options)
    {
        _options = options;
        _maxInFlight = options.EffectiveMaxInFlight;
        _timeoutTicks = (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
        _headRequest = options.Method == HttpMethod.Head;
        _busyPoll = options.Rate >= BusyPollRate;
        var request = RequestBytes.Build(options);
        _requestLength = request.Length;
        _request = (byte*)NativeMemory.Alloc((nuint)request.Length);
        request.CopyTo(new Span<byte>(_request, request.Length));
        _receive = (byte*)NativeMemory.Alloc(ReceiveBufferSize);
        _epoll = new Epoll(EventCapacity);
        // Resolved before the run, not at t0: a slow resolver must not show as send lag of the first requests.
        _address = TargetAddress.Resolve(options.Target);
    }

    /// <summary>True when this engine can send <paramref name="options"/>: plain http, HTTP/1.1, Linux with epoll.</summary>
    public static bool Supports(LoadOptions options) =>
        Epoll.IsSupported && options.Target.Scheme == Uri.UriSchemeHttp && !options.Http2;

    public long Scheduled => Volatile.Read(ref _scheduled);

    public long InFlight => Volatile.Read(ref _inFlight);

    public bool WantsRealTime => !_busyPoll;

    public bool KeepsItsCoreBusy => _busyPoll;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Run(long t0, ScheduleLength length, ResultsQueue results, CancellationToken stop)
    {
        _t0 = t0;
        _results = results;
        _batch = results.RentBatch();
        var schedule = new RequestSchedule(t0, _options.Rate, length);
        long next = 0;
        long endTicks = -1;
        long lastIssue = long.MinValue / 2;
        long nextHousekeeping = Stopwatch.GetTimestamp() + HousekeepingTicks;
        try
        {
            while (true)
            {
                long now = Stopwatch.GetTimestamp();
                if (endTicks < 0)
                {
                    // Send what is due by now, each stamped with its own due time (lateness shows as send lag). At
                    // most a batch between two looks at the sockets: after a stall, answers waiting in the sockets
                    // free connections for the overdue requests, instead of thousands of new connections at once.
                    int issued = 0;
                    while (next < schedule.Total && schedule.Due(next) <= now && issued < MaxBatch && !stop.IsCancellationRequested)
                    {
                        Issue(next, schedule.Due(next));
                        next++;
                        issued++;
                        lastIssue = now;
                        Volatile.Write(ref _scheduled, next);
                    }
                    if (next >= schedule.Total || stop.IsCancellationRequested) endTicks = Stopwatch.GetTimestamp() - t0;
                }
                if (endTicks >= 0 && _inFlightList.Count == 0) break;

                if (now >= nextHousekeeping)
                {
                    // Records reach the metrics (progress) and the results file within a few ms even at low rates.
                    FlushRecords();
                    ExpireDeadlines(now);
                    nextHousekeeping = now + HousekeepingTicks;
                }

                long wait = nextHousekeeping - now;
                if (endTicks < 0 && (_busyPoll || schedule.Due(next) <= now))
                {
                    wait = 0;
                }
                else if (endTicks < 0)
                {
                    long wakeAt = Math.Max(schedule.Due(next), lastIssue + WakeQuantumTicks);
                    wait = Math.Max(0, Math.Min(wait, wakeAt - now));
                }
                int count = _epoll.Wait(wait);
                for (int i = 0; i < count; i++)
                {
                    var (events, token) = _epoll.EventAt(i);
                    var connection = token < _connections.Count ? _connections[token] : null;
                    if (connection is not null) OnEvent(connection, events);
                }
                // Ids of connections closed in this batch are reused only now, so a stale event in the batch
                // cannot reach a new connection that got the same id.
                foreach (var id in _releasedIds) _freeIds.Push(id);
                _releasedIds.Clear();
            }
        }
        finally
        {
            for (int id = 0; id < _connections.Count; id++)
                if (_connections[id] is { } connection) Close(connection);
            FlushRecords();
        }
        return endTicks;
    }

    /// <summary>
    /// Opens the connections the first moments of the run need, before t0, as wrk does: connecting on demand
    /// showed as send lag in the first half second of a run at high rates (p99 3–6 ms at 80,000 req/s). Opens
    /// enough for a millisecond of requests (rate / 1,000; at least 1, at most 256 and the in-flight cap) and
    /// waits at most a second (or the timeout, if shorter). A connection that fails is dropped without a
    /// record: the run's own requests meet the same failure and record it.
    /// Grows the descriptor table first, to hold a connection per request the run may have in flight
    /// (<see cref="FileDescriptorTable"/>): growing it mid-run stalled the thread for milliseconds.
    /// </summary>
    public void Prepare(CancellationToken stop)
    {
        FileDescriptorTable.Reserve(_epoll.Fd, _maxInFlight + 64);
        int wanted = (int)Math.Clamp(Math.Ceiling(_options.Rate / 1000.0), 1, Math.Min(256, _maxInFlight));
        for (int i = 0; i < wanted; i++)
        {
            if (Open(out _) is null) break;
        }
        long deadline = Stopwatch.GetTimestamp() + Math.Min(Stopwatch.Frequency, _timeoutTicks);
        while (!stop.IsCancellationRequested && _connections.Exists(c => c?.State == ConnectionState.Connecting))
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= deadline) break;
            int count = _epoll.Wait(Math.Min(deadline - now, HousekeepingTicks));
            for (int i = 0; i < count; i++)
            {
                var (events, token) = _epoll.EventAt(i);
                if (token >= _connections.Count || _connections[token] is not { } connection) continue;
                if (connection.State == ConnectionState.Connecting && (events & ConnectDoneEvents) != 0)
                {
                    if (CompleteConnect(connection) != 0)
                    {
                        Close(connection);
                        continue;
                    }
                    connection.WatchingOut = false;
                    _epoll.Modify(connection.Fd, ReadEvents, connection.Id);
                }
                else if (connection.State == ConnectionState.Open && (events & (ReadEvents | LibC.EpollErr | LibC.EpollHup)) != 0)
                {
                    Close(connection); // closed by the server, or bytes nobody asked for: not reusable
                }
            }
        }
        foreach (var connection in _connections)
        {
            if (connection is null) continue;
            if (connection.State == ConnectionState.Connecting) Close(connection);
            else if (connection.State == ConnectionState.Open)
            {
                // Open means connected at once (never watched for writability) or completed above (watch dropped).
                connection.IdleIndex = _idle.Count;
                _idle.Add(connection);
            }
        }
        foreach (var id in _releasedIds) _freeIds.Push(id);
        _releasedIds.Clear();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _epoll.Dispose();
        NativeMemory.Free(_request);
        NativeMemory.Free(_receive);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Issue(long seq, long dueTimestamp)
    {
        var scheduledUs = ToMicroseconds(dueTimestamp);
        if (_inFlightList.Count >= _maxInFlight)
        {
            Record(new RequestResult(seq, scheduledUs, -1, -1, 0, ErrorClass.Saturated, -1, 0));
            return;
        }
        var sent = Stopwatch.GetTimestamp();
        var request = _requestPool.Count > 0 ? _requestPool.Pop() : new InFlightRequest();
        request.Seq = seq;
        request.ScheduledUs = scheduledUs;
        request.SentUs = ToMicroseconds(sent);
        request.DeadlineTicks = sent + _timeoutTicks;
        request.ConnectionsWritten = 0;
        request.Resends = 0;
        request.Index = _inFlightList.Count;
        _inFlightList.Add(request);
        Volatile.Write(ref _inFlight, _inFlightList.Count);
        Dispatch(request);
    }

    /// <summary>Puts <paramref name="request"/> on an idle connection or a new one and starts writing it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Dispatch(InFlightRequest request)
    {
        Http1Connection? connection = null;
        while (_idle.Count > 0 && connection is null)
        {
            var candidate = _idle[^1];
            RemoveIdle(candidate);
            if (candidate.State == ConnectionState.Open) connection = candidate;
        }
        if (connection is null)
        {
            connection = Open(out var errno);
            if (connection is null)
            {
                Finish(request, Classify(errno));
                return;
            }
        }
        connection.Request = request;
        request.Connection = connection;
        connection.Written = 0;
        connection.WriteDone = false;
        connection.Parser.Reset(_headRequest);
        if (connection.State == ConnectionState.Open) Write(connection);
        // else: written when the connect completes (epoll reports the socket writable).
    }

    /// <summary>A new non-blocking connection; null (and the errno) when the connect failed at once.</summary>
    private Http1Connection? Open(out int errno)
    {
        errno = 0;
        if (_address is null)
        {
            errno = -1; // the host did not resolve: "other"
            return null;
        }
        int fd = LibC.Socket(_address.Family, LibC.SockStream | LibC.SockNonBlock | LibC.SockCloExec, 0);
        if (fd < 0)
        {
            errno = LibC.Errno;
            return null;
        }
        int one = 1;
        LibC.SetSockOpt(fd, LibC.IpProtoTcp, LibC.TcpNoDelay, &one, sizeof(int));
        bool connecting = false;
        fixed (byte* address = _address.SockAddr)
        {
            if (LibC.Connect(fd, address, _address.SockAddr.Length) != 0)
            {
                errno = LibC.Errno;
                if (errno != LibC.EInProgress)
                {
                    LibC.Close(fd);
                    return null;
                }
                errno = 0;
                connecting = true;
            }
        }
        int id;
        if (_freeIds.Count > 0) id = _freeIds.Pop();
        else
        {
            id = _connections.Count;
            _connections.Add(null);
        }
        var connection = new Http1Connection(fd, id)
        {
            State = connecting ? ConnectionState.Connecting : ConnectionState.Open,
            WatchingOut = connecting,
        };
        var added = _epoll.Add(fd, connecting ? ReadEvents | LibC.EpollOut : ReadEvents, id);
        if (added != 0)
        {
            LibC.Close(fd);
            _freeIds.Push(id);
            errno = added;
            return null;
        }
        _connections[id] = connection;
        return connection;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnEvent(Http1Connection connection, uint events)
    {
        if (connection.State == ConnectionState.Connecting)
        {
            if ((events & ConnectDoneEvents) == 0) return;
            var error = CompleteConnect(connection);
            if (error != 0)
            {
                var request = connection.Request;
                Close(connection);
                if (request is not null) Finish(request, Classify(error));
                return;
            }
            if (connection.Request is not null) Write(connection);
            if (connection.State != ConnectionState.Open) return;
        }
        else if ((events & LibC.EpollOut) != 0 && connection.Request is not null && !connection.WriteDone)
        {
            Write(connection);
            if (connection.State != ConnectionState.Open) return;
        }
        if ((events & (ReadEvents | LibC.EpollErr | LibC.EpollHup)) != 0) Read(connection);
    }

    /// <summary>Ends a non-blocking connect epoll reported on: returns 0 and marks the connection open, or the socket's error.</summary>
    private static int CompleteConnect(Http1Connection connection)
    {
        int error = 0, length = sizeof(int);
        LibC.GetSockOpt(connection.Fd, LibC.SolSocket, LibC.SoError, &error, &length);
        if (error == 0) connection.State = ConnectionState.Open;
        return error;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Write(Http1Connection connection)
    {
        var request = connection.Request!;
        if (connection.Written == 0) request.ConnectionsWritten++;
        while (true)
        {
            var n = LibC.Send(connection.Fd, _request + connection.Written, _requestLength - connection.Written, LibC.MsgNoSignal);
            if (n >= 0)
            {
                connection.Written += (int)n;
                if (connection.Written < _requestLength) continue;
                connection.WriteDone = true;
                if (connection.WatchingOut)
                {
                    connection.WatchingOut = false;
                    _epoll.Modify(connection.Fd, ReadEvents, connection.Id);
                }
                return;
            }
            var errno = LibC.Errno;
            if (errno == LibC.EIntr) continue;
            if (errno == LibC.EAgain)
            {
                // The socket buffer is full (a large body): continue when epoll says it is writable.
                if (!connection.WatchingOut)
                {
                    connection.WatchingOut = true;
                    _epoll.Modify(connection.Fd, ReadEvents | LibC.EpollOut, connection.Id);
                }
                return;
            }
            Close(connection);
            Finish(request, Classify(errno));
            return;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Read(Http1Connection connection)
    {
        while (true)
        {
            var n = LibC.Recv(connection.Fd, _receive, ReceiveBufferSize, 0);
            var request = connection.Request;
            if (n > 0)
            {
                if (request is null)
                {
                    // Bytes nobody asked for on an idle connection (e.g. a 408 before closing): not reusable.
                    Close(connection);
                    return;
                }
                var status = connection.Parser.Feed(new ReadOnlySpan<byte>(_receive, (int)n), out var consumed);
                if (status == ParseStatus.Complete)
                {
                    CompleteResponse(connection, extraBytes: consumed < n);
                    return;
                }
                if (status == ParseStatus.Malformed)
                {
                    Close(connection);
                    Finish(request, ErrorClass.Other);
                    return;
                }
                if (n < ReceiveBufferSize) return; // level-triggered: epoll reports the rest
                continue;
            }
            if (n == 0)
            {
                OnEndOfStream(connection);
                return;
            }
            var errno = LibC.Errno;
            if (errno == LibC.EAgain) return;
            if (errno == LibC.EIntr) continue;
            Close(connection);
            if (request is not null) Finish(request, Classify(errno));
            return;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnEndOfStream(Http1Connection connection)
    {
        var request = connection.Request;
        if (request is null)
        {
            Close(connection); // an idle connection the server closed: drop it from the pool
            return;
        }
        if (connection.Parser.OnEndOfStream() == ParseStatus.Complete)
        {
            CompleteResponse(connection, extraBytes: false);
            return;
        }
        Close(connection);
        if (!connection.Parser.ReceivedAny && request.Resends < MaxResends)
        {
            // Closed before any byte of the response: the server did not process it; send it again (as
            // SocketsHttpHandler does), on another connection.
            request.Resends++;
            request.Connection = null;
            Dispatch(request);
            return;
        }
        Finish(request, ErrorClass.ConnectionReset);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CompleteResponse(Http1Connection connection, bool extraBytes)
    {
        var request = connection.Request!;
        var parser = connection.Parser;
        // Reusable only after a clean exchange: both sides want keep-alive, nothing extra arrived and the whole
        // request was written (a server may answer early, e.g. 413, before reading a large body).
        var reusable = parser.KeepAlive && _options.KeepAlive && !extraBytes && connection.WriteDone;
        connection.Request = null;
        Finish(request, ErrorClass.None, parser.StatusCode, parser.BodyBytes);
        if (reusable)
        {
            connection.IdleIndex = _idle.Count;
            _idle.Add(connection);
        }
        else Close(connection);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ExpireDeadlines(long now)
    {
        for (int i = _inFlightList.Count - 1; i >= 0; i--)
        {
            if (i >= _inFlightList.Count) continue;
            var request = _inFlightList[i];
            if (now < request.DeadlineTicks) continue;
            if (request.Connection is { } connection) Close(connection);
            Finish(request, ErrorClass.Timeout);
        }
    }

    /// <summary>Records <paramref name="request"/>'s outcome and returns it to the pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Finish(InFlightRequest request, ErrorClass error, int status = 0, long bytesIn = 0)
    {
        var endUs = ToMicroseconds(Stopwatch.GetTimestamp());
        var last = _inFlightList[^1];
        _inFlightList[request.Index] = last;
        last.Index = request.Index;
        _inFlightList.RemoveAt(_inFlightList.Count - 1);
        Volatile.Write(ref _inFlight, _inFlightList.Count);
        if (request.Connection is { } connection && ReferenceEquals(connection.Request, request)) connection.Request = null;
        request.Connection = null;
        var result = new RequestResult(request.Seq, request.ScheduledUs, request.SentUs, endUs, status, error, request.Retries, bytesIn);
        _requestPool.Push(request);
        Record(result);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Record(in RequestResult result)
    {
        _batch[_batchCount++] = result;
        if (_batchCount == _batch.Length) FlushRecords();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FlushRecords()
    {
        if (_batchCount == 0) return;
        _results.PostBatch(_batch, _batchCount);
        _batch = _results.RentBatch();
        _batchCount = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Close(Http1Connection connection)
    {
        if (connection.State == ConnectionState.Closed) return;
        connection.State = ConnectionState.Closed;
        if (connection.IdleIndex >= 0) RemoveIdle(connection);
        LibC.Close(connection.Fd); // also removes it from epoll
        _connections[connection.Id] = null;
        _releasedIds.Add(connection.Id);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RemoveIdle(Http1Connection connection)
    {
        var last = _idle[^1];
        _idle[connection.IdleIndex] = last;
        last.IdleIndex = connection.IdleIndex;
        _idle.RemoveAt(_idle.Count - 1);
        connection.IdleIndex = -1;
    }

    /// <summary>The error class of a failed socket call (the mapping <see cref="ErrorClassifier"/> applies to .NET's exceptions).</summary>
    internal static ErrorClass Classify(int errno) => errno switch
    {
        LibC.EConnRefused => ErrorClass.ConnectionRefused,
        LibC.EConnReset or LibC.EConnAborted or LibC.EPipe => ErrorClass.ConnectionReset,
        LibC.ETimedOut => ErrorClass.Timeout,
        _ => ErrorClass.Other,
    };

    private long ToMicroseconds(long timestamp) => (long)((timestamp - _t0) * _microsecondsPerTick);
}
