using System.Runtime.InteropServices;
using Lameduck.Budget;
using Lameduck.Contract.Signals;
using Lameduck.Diagnostics;
using Lameduck.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lameduck.Hosting;

/// <summary>
/// Replaces the host's <c>ConsoleLifetime</c>. On the first SIGTERM, SIGINT or SIGQUIT it cancels the
/// runtime's default action, enters the lame-duck window, and only when the window ends calls
/// <see cref="IHostApplicationLifetime.StopApplication"/> (which starts the host's drain: Kestrel closes
/// its listeners and waits for in-flight requests up to <c>HostOptions.ShutdownTimeout</c>). A second
/// signal means "stop now": the process exits at once with 128 + the signal number.
/// </summary>
internal sealed class LameduckHostLifetime : IHostLifetime, IDisposable
{
    private readonly LameduckState _state;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IOptions<LameduckOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly CancellationTokenSource _stopNow = new();
    private int _signals;
    private int _disposed;

    public LameduckHostLifetime(
        LameduckState state,
        IHostApplicationLifetime lifetime,
        IOptions<LameduckOptions> options,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _state = state;
        _lifetime = lifetime;
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger(LameduckLog.Category);
    }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        LameduckOptions options;
        try
        {
            options = _options.Value;
        }
        catch (OptionsValidationException e)
        {
            // Say it plainly in the log too: an unhandled exception would bury it under a stack trace.
            LameduckLog.InvalidConfiguration(_logger, string.Join(" ", e.Failures));
            throw;
        }
        catch (InvalidOperationException e) when (e.InnerException is FormatException)
        {
            // The configuration binder's message names the key and the value; add what a valid one looks like.
            var problem = $"{e.Message} Durations are written hh:mm:ss, e.g. Lameduck__Delay=00:00:05.";
            LameduckLog.InvalidConfiguration(_logger, problem);
            throw new OptionsValidationException(LameduckOptions.SectionName, typeof(LameduckOptions), [problem]);
        }
        var budget = ShutdownBudget.From(options);
        LameduckLog.Armed(_logger, DurationText.Format(options.Delay), DurationText.Format(budget.DrainTimeout),
            DurationText.Format(options.GracePeriod), DurationText.Format(options.PreStop),
            DurationText.Format(options.SafetyMargin), options.Readiness.ToString());

        if (!OperatingSystem.IsWasi() && !OperatingSystem.IsBrowser())
        {
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts the sequence as if <paramref name="signal"/> had arrived. The signal handler and tests call it.</summary>
    internal void BeginShutdown(PosixSignal signal)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            StopNow(signal);
            return;
        }
        // Off the signal-handling thread: Draining callbacks run when the window starts, and a slow one
        // must not keep a second signal from being handled.
        _ = Task.Run(() => RunSequenceAsync(signal));
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime from terminating the process; the sequence decides when to stop.
        context.Cancel = true;
        BeginShutdown(context.Signal);
    }

    private async Task RunSequenceAsync(PosixSignal signal)
    {
        var options = _options.Value;
        var budget = ShutdownBudget.From(options);
        _state.MarkSignal();
        var startedAt = _state.SignalAt;
        if (_state.Phase >= LameduckPhase.Draining)
        {
            return; // the application was already stopping on its own: its drain is under way
        }
        // The deadline is set before the phase moves, so Draining callbacks can read it.
        _state.SetDeadline(_time.GetUtcNow() + budget.AfterSignal);
        _state.Advance(LameduckPhase.LameDuck);
        LameduckLog.LameDuckStarted(_logger, Name(signal), DurationText.Format(options.Delay),
            options.Readiness == ReadinessMode.Fail ? "fails" : "keeps serving",
            _state.InFlight, _state.Deadline!.Value);

        string reason;
        try
        {
            reason = await LameDuckWindow.WaitAsync(options, _state, _time, startedAt, _stopNow.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // a second signal took over, or the host was disposed
        }
        LameduckLog.DrainStarted(_logger, _time.GetElapsedTime(startedAt).TotalMilliseconds, reason,
            _state.InFlight, _state.ServedDuringLameDuck, DurationText.Format(budget.DrainTimeout));
        _state.Advance(LameduckPhase.Draining);
        _lifetime.StopApplication();
    }

    private void StopNow(PosixSignal signal)
    {
        _stopNow.Cancel();
        var exitCode = 128 + Number(signal);
        LameduckLog.SecondSignal(_logger, Name(signal), _state.InFlight, exitCode);
        _state.Advance(LameduckPhase.Stopped);
        // Environment.Exit, not StopApplication: the user asked for now, not for another drain.
        Environment.Exit(exitCode);
    }

    private static string Name(PosixSignal signal) => SignalTable.Name(Number(signal));

    // The runtime's PosixSignal names the portable signals with negative values; the table holds Linux's numbers.
    private static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => SignalTable.SIGINT,
        PosixSignal.SIGQUIT => SignalTable.SIGQUIT,
        _ => SignalTable.SIGTERM,
    };

    public void Dispose()
    {
        // Registered as itself and as IHostLifetime, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _registrations.Clear();
        // A host disposed during its window (tests, embedded hosts) ends the window too: nothing is left to stop.
        _stopNow.Cancel();
        _stopNow.Dispose();
    }
}
