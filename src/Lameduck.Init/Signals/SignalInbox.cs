using System.Runtime.InteropServices;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Signals;

/// <summary>
/// Catches the signals a supervisor handles and queues them for the supervisor's single loop, so all
/// decisions happen on one thread in arrival order (tini does the same with sigtimedwait).
/// </summary>
/// <remarks>
/// .NET cannot block signals and use sigwait: the runtime has threads of its own by the time Main runs.
/// <see cref="PosixSignalRegistration"/> is the runtime's own way in: its System.Native signal thread
/// runs the handler, and <c>Cancel = true</c> stops the default action (termination for TERM, INT,
/// QUIT, HUP, USR1, USR2). TERM, INT and QUIT handlers run on a new thread each, the others on the
/// thread pool. SIGCHLD is deliberately not caught here: see <see cref="Supervision.Reaper"/>.
/// </remarks>
internal sealed class SignalInbox : IDisposable
{
    private readonly Queue<int> _pending = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>Starts catching <paramref name="signals"/> (Linux numbers).</summary>
    public SignalInbox(IEnumerable<int> signals)
    {
        foreach (var signal in signals)
        {
            int number = signal;
            _registrations.Add(PosixSignalRegistration.Create(ToPosixSignal(number), context =>
            {
                context.Cancel = true;
                if (FastPath?.Invoke(number) != true) Post(number);
            }));
        }
    }

    /// <summary>
    /// Runs on the runtime's signal-handling thread before a signal is queued; returns true when it has
    /// dealt with the signal. Forwarding there saves the hop to the supervisor's loop (signal-forward latency).
    /// </summary>
    public Func<int, bool>? FastPath { get; set; }

    /// <summary>Queues a signal (also used by tests of the loop and by timers that need a wake-up).</summary>
    public void Post(int signal)
    {
        lock (_pending)
        {
            _pending.Enqueue(signal);
            Monitor.Pulse(_pending);
        }
    }

    /// <summary>The next caught signal, or 0 when <paramref name="timeout"/> (may be <see cref="Timeout.InfiniteTimeSpan"/>) passes first.</summary>
    public int Take(TimeSpan timeout)
    {
        lock (_pending)
        {
            if (_pending.Count == 0 && timeout != TimeSpan.Zero)
                Monitor.Wait(_pending, timeout);
            return _pending.Count > 0 ? _pending.Dequeue() : 0;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _registrations.Clear();
    }

    // PosixSignal names the portable signals with negative values; other Linux numbers are passed raw.
    private static PosixSignal ToPosixSignal(int signal) => signal switch
    {
        SignalTable.SIGHUP => PosixSignal.SIGHUP,
        SignalTable.SIGINT => PosixSignal.SIGINT,
        SignalTable.SIGQUIT => PosixSignal.SIGQUIT,
        SignalTable.SIGTERM => PosixSignal.SIGTERM,
        SignalTable.SIGCHLD => PosixSignal.SIGCHLD,
        SignalTable.SIGCONT => PosixSignal.SIGCONT,
        SignalTable.SIGWINCH => PosixSignal.SIGWINCH,
        _ => (PosixSignal)signal,
    };
}
