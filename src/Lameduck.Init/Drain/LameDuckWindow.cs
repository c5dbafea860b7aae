using System.Diagnostics;
using Lameduck.Init.Options;
using Lameduck.Init.Supervision;
using Lameduck.Text;
using Lameduck.Contract.Init;

namespace Lameduck.Init.Drain;

/// <summary>
/// Decides when the lame-duck window ends, as the library's <c>Lameduck.Hosting.LameDuckWindow</c> does: after
/// --delay, or, with --drain-port, as soon as --min-delay has passed and no request bytes arrived on the port
/// for --quiet-period (the load balancers have stopped sending: waiting longer only slows the rollout) and no
/// client is still waiting for the app on the port: request bytes not read yet, a connection not accepted yet, a
/// handshake held back by a full accept queue (an app that is behind would fail them at its stop signal: a
/// fast-stopping app drops what it has not answered, and a graceful one resets what it has not accepted).
/// </summary>
/// <remarks>
/// The port is read every quiet-period / 10 (10 to 100 ms). Bytes seen by a read are dated at the end of that read,
/// which is no earlier than their arrival, so the window ends at least a quiet period after the last request byte,
/// and it is decided right after a read, never on older data. When the port cannot be watched (no sock_diag in
/// this sandbox, or a read fails) it never ends early on a guess: it lasts --delay, and says so once.
/// </remarks>
/// <example>
/// <code>
/// var window = LameDuckWindow.Prepare(options, log);        // at start: checks that the port can be watched
/// window.Begin(Stopwatch.GetTimestamp());                   // at SIGTERM
/// string? why;
/// while ((why = window.Check(Stopwatch.GetTimestamp())) is null) Thread.Sleep(window.UntilNextCheck(Stopwatch.GetTimestamp()));
/// </code>
/// </example>
internal sealed class LameDuckWindow
{
    private readonly InitSettings _options;
    private readonly EventLog _log;
    private PortTraffic? _traffic;
    private long _start;
    private long _lastTraffic;
    private long _nextPoll;

    private LameDuckWindow(InitSettings options, EventLog log, PortTraffic? traffic)
    {
        _options = options;
        _log = log;
        _traffic = traffic;
        PollInterval = TimeSpan.FromMilliseconds(Math.Clamp(options.QuietPeriod.TotalMilliseconds / 10, 10, 100));
    }

    /// <summary>How often the port is read during the window.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>True when the window can end early: --drain-port was given and its traffic can be read.</summary>
    public bool Watching => _traffic is not null;

    /// <summary>
    /// Opens the port's watch at start, so a sandbox without sock_diag is reported when the app starts, not at its
    /// last moment. Writes one warning when it cannot; the window then lasts --delay.
    /// </summary>
    public static LameDuckWindow Prepare(InitSettings options, EventLog log)
    {
        PortTraffic? traffic = null;
        if (options.DrainPort is int port)
        {
            try
            {
                traffic = PortTraffic.Open(port);
            }
            catch (SockDiagException e)
            {
                log.Write("warning", $"cannot watch request bytes on port {port}: {e.Message}; the lame-duck window will last the full --delay {DurationText.Format(options.Delay)}");
            }
        }
        return new LameDuckWindow(options, log, traffic);
    }

    /// <summary>Describes the window for the shutdown line: "up to 5s, or, after at least 1s, until port 80 has had no request bytes for 1s".</summary>
    public string Describe()
    {
        var text = $"up to {DurationText.Format(_options.Delay)}";
        if (_traffic is not null)
            text += $", or, after at least {DurationText.Format(_options.MinDelay)}, until port {_traffic.Port} has had no request bytes for {DurationText.Format(_options.QuietPeriod)}";
        else if (_options.DrainPort is int port)
            text += $" (the full delay: port {port}'s traffic cannot be watched)";
        return text;
    }

    /// <summary>Starts the window at <paramref name="start"/> (SIGTERM): what the port received before is not traffic.</summary>
    public void Begin(long start)
    {
        _start = start;
        _lastTraffic = start;
        _nextPoll = start + Ticks(PollInterval);
        Guard(() => _traffic!.Start());
    }

    /// <summary>Reads the port when a read is due; returns why the window ends now, or null while it goes on.</summary>
    public string? Check(long now)
    {
        var elapsed = Stopwatch.GetElapsedTime(_start, now);
        if (elapsed >= _options.Delay) return $"delay {DurationText.Format(_options.Delay)} over{DelayDetail(now)}";
        if (_traffic is null || now < _nextPoll) return null;

        _nextPoll = now + Ticks(PollInterval);
        bool arrived = false;
        Guard(() => arrived = _traffic!.Poll());
        if (_traffic is null) return null;
        // Dated when the read ended, not at `now`, taken before it: bytes can arrive while the kernel dumps the
        // sockets, and dated at `now` they would end the window that much early (1 ms, twice in full test runs).
        if (arrived) _lastTraffic = Stopwatch.GetTimestamp();
        if (elapsed < _options.MinDelay || Stopwatch.GetElapsedTime(_lastTraffic, now) < _options.QuietPeriod || _traffic.Waiting > 0) return null;
        return $"port {_traffic.Port} had no request bytes for {DurationText.Format(_options.QuietPeriod)} " +
               $"(after min delay {DurationText.Format(_options.MinDelay)}; {Totals(_traffic)})";
    }

    /// <summary>Time until <see cref="Check"/> has something to do: the next read, or the end of the delay.</summary>
    public TimeSpan UntilNextCheck(long now)
    {
        var wait = _options.Delay - Stopwatch.GetElapsedTime(_start, now);
        if (_traffic is not null)
        {
            var untilPoll = Stopwatch.GetElapsedTime(now, _nextPoll);
            if (untilPoll < wait) wait = untilPoll;
        }
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private string DelayDetail(long now)
    {
        if (_traffic is null) return "";
        var last = _lastTraffic == _start
            ? "had no request bytes since the shutdown began"
            : $"last had request bytes {(long)Stopwatch.GetElapsedTime(_lastTraffic, now).TotalMilliseconds}ms ago";
        return $" (port {_traffic.Port} {last}; {Totals(_traffic)})";
    }

    private static string Totals(PortTraffic t) =>
        $"{t.BytesReceived} bytes on {t.Connections} connection{(t.Connections == 1 ? "" : "s")} since the shutdown began" +
        (t.ClosedOnArrival > 0 ? $" ({t.ClosedOnArrival} seen only once closed, their bytes unknown)" : "") +
        $", {t.OpenConnections} open" + (t.Waiting > 0 ? $", {t.Waiting} waiting for the app (not accepted or not read yet)" : "");

    // A read that fails mid-window (it worked at start) must not end the window on a guess either: stop
    // watching, say so once, and let the delay run out.
    private void Guard(Action read)
    {
        if (_traffic is null) return;
        try
        {
            read();
        }
        catch (SockDiagException e)
        {
            _log.Write("warning", $"watching request bytes on port {_traffic.Port} failed: {e.Message}; the lame-duck window will last the full --delay {DurationText.Format(_options.Delay)}");
            _traffic.Dispose();
            _traffic = null;
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
