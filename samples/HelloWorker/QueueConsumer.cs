using Lameduck;

namespace HelloWorker;

/// <summary>
/// Pulls until Lameduck's window starts (<see cref="ILameduck.Draining"/>), then finishes the message in
/// hand: the host's stopping token is only used to give up at the drain deadline.
/// </summary>
internal sealed partial class QueueConsumer(MessageQueue queue, ILameduck lameduck, IConfiguration configuration, ILogger<QueueConsumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var work = TimeSpan.FromMilliseconds(configuration.GetValue("WorkMs", 500));
        while (!lameduck.Draining.IsCancellationRequested)
        {
            long message;
            try
            {
                message = await queue.ReceiveAsync(lameduck.Draining);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            using (lameduck.BeginWork())
            {
                Processing(logger, message);
                await Task.Delay(work, stoppingToken);
                Finished(logger, message);
            }
        }
        StoppedPulling(logger, lameduck.Phase);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Processing message {Message}")]
    private static partial void Processing(ILogger logger, long message);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Finished message {Message}")]
    private static partial void Finished(ILogger logger, long message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopped pulling ({Phase})")]
    private static partial void StoppedPulling(ILogger logger, LameduckPhase phase);
}
