using Lameduck.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lameduck.Hosting;

/// <summary>
/// Watches the host's own drain (the stop of every hosted service, Kestrel's included) through the
/// lifecycle hooks that bracket it: it fixes the deadline when the drain starts, counts what is still in
/// flight when the deadline passes, and logs and measures the drain when the host has stopped.
/// </summary>
internal sealed class DrainObserver : IHostedLifecycleService, IDisposable
{
    private readonly LameduckState _state;
    private readonly LameduckMetrics _metrics;
    private readonly IOptions<HostOptions> _hostOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _drainStartedAt;
    private ITimer? _deadlineTimer;

    public DrainObserver(LameduckState state, LameduckMetrics metrics, IOptions<HostOptions> hostOptions, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _state = state;
        _metrics = metrics;
        _hostOptions = hostOptions;
        _time = time;
        _logger = loggerFactory.CreateLogger(LameduckLog.Category);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _drainStartedAt = _time.GetTimestamp();
        var timeout = _hostOptions.Value.ShutdownTimeout;
        // The host's own stop timeout starts a moment after this hook; the deadline is the same moment.
        _state.SetDeadline(_time.GetUtcNow() + timeout);
        // An application that stops itself (no signal) still drains: long-lived work is told to go away.
        _state.Advance(LameduckPhase.Draining);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _deadlineTimer = _time.CreateTimer(_ => OnDeadline(), null, timeout, Timeout.InfiniteTimeSpan);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _deadlineTimer?.Dispose();
        var drain = _drainStartedAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_drainStartedAt);
        _state.Advance(LameduckPhase.Stopped);
        _metrics.RecordDrain(drain);
        var since = _state.SignalAt != 0 ? _state.SignalAt : _drainStartedAt;
        LameduckLog.Stopped(_logger, since == 0 ? 0 : _time.GetElapsedTime(since).TotalMilliseconds, drain.TotalMilliseconds,
            _state.ServedDuringLameDuck, _state.Aborted, _state.InFlight);
        return Task.CompletedTask;
    }

    private void OnDeadline()
    {
        if (_state.Phase >= LameduckPhase.Stopped)
        {
            return;
        }
        var open = _state.InFlight;
        _state.RecordAborted(open);
        LameduckLog.DeadlineReached(_logger, _time.GetElapsedTime(_drainStartedAt).TotalMilliseconds, open);
    }

    public void Dispose() => _deadlineTimer?.Dispose();
}
