using Microsoft.Extensions.Logging;

namespace Lameduck.Diagnostics;

/// <summary>
/// Every log line Lameduck writes, one per phase, with stable event ids (1-99 are reserved for the core,
/// 100-199 for Lameduck.AspNetCore). Category: <c>Lameduck</c>.
/// </summary>
internal static partial class LameduckLog
{
    public const string Category = "Lameduck";

    [LoggerMessage(EventId = 1, EventName = "Armed", Level = LogLevel.Information,
        Message = "Lameduck armed: on SIGTERM/SIGINT/SIGQUIT, lame duck for up to {Delay}, then drain for up to {DrainTimeout} (GracePeriod {GracePeriod}, PreStop {PreStop}, SafetyMargin {SafetyMargin}, readiness {Readiness})")]
    public static partial void Armed(ILogger logger, string delay, string drainTimeout, string gracePeriod, string preStop, string safetyMargin, string readiness);

    [LoggerMessage(EventId = 2, EventName = "LameDuckStarted", Level = LogLevel.Information,
        Message = "{Signal} received: lame duck for up to {Delay} (readiness {Readiness}; HTTP responses carry Connection: close), {InFlight} in flight, deadline {Deadline:O}")]
    public static partial void LameDuckStarted(ILogger logger, string signal, string delay, string readiness, int inFlight, DateTimeOffset deadline);

    [LoggerMessage(EventId = 3, EventName = "DrainStarted", Level = LogLevel.Information,
        Message = "Draining after {ElapsedMs:0} ms ({Reason}): listeners close, {InFlight} in flight, {ServedDuringLameDuck} served during lame duck, deadline in {DrainTimeout}")]
    public static partial void DrainStarted(ILogger logger, double elapsedMs, string reason, int inFlight, long servedDuringLameDuck, string drainTimeout);

    [LoggerMessage(EventId = 4, EventName = "DeadlineReached", Level = LogLevel.Warning,
        Message = "Drain deadline reached after {ElapsedMs:0} ms: {Aborted} still in flight are aborted")]
    public static partial void DeadlineReached(ILogger logger, double elapsedMs, int aborted);

    [LoggerMessage(EventId = 5, EventName = "Stopped", Level = LogLevel.Information,
        Message = "Stopped after {ElapsedMs:0} ms (drain {DrainMs:0} ms): {ServedDuringLameDuck} served during lame duck, {Aborted} aborted, {InFlight} in flight")]
    public static partial void Stopped(ILogger logger, double elapsedMs, double drainMs, long servedDuringLameDuck, long aborted, int inFlight);

    [LoggerMessage(EventId = 6, EventName = "SecondSignal", Level = LogLevel.Warning,
        Message = "Second {Signal} received: stopping now, {InFlight} in flight are abandoned (exit code {ExitCode})")]
    public static partial void SecondSignal(ILogger logger, string signal, int inFlight, int exitCode);

    [LoggerMessage(EventId = 7, EventName = "InvalidConfiguration", Level = LogLevel.Critical,
        Message = "{Problems}")]
    public static partial void InvalidConfiguration(ILogger logger, string problems);
}
