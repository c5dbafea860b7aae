namespace Lameduck;

/// <summary>
/// The shutdown sequence as seen by application code: the current phase, a token that fires when the
/// lame-duck window starts, the deadline, and counters. Registered as a singleton by
/// <see cref="Microsoft.Extensions.DependencyInjection.LameduckServiceCollectionExtensions.AddLameduck"/>.
/// </summary>
/// <example>
/// A queue consumer that stops pulling when the window starts and finishes the message it holds:
/// <code>
/// public sealed class Consumer(ILameduck lameduck, IQueue queue) : BackgroundService
/// {
///     protected override async Task ExecuteAsync(CancellationToken stoppingToken)
///     {
///         while (!lameduck.Draining.IsCancellationRequested)
///         {
///             var message = await queue.ReceiveAsync(lameduck.Draining);
///             using var work = lameduck.BeginWork();
///             await HandleAsync(message, stoppingToken);
///         }
///     }
/// }
/// </code>
/// </example>
public interface ILameduck
{
    /// <summary>The current phase.</summary>
    LameduckPhase Phase { get; }

    /// <summary>Fires when the lame-duck window starts (or, when the application stops itself, when the drain starts).</summary>
    CancellationToken Draining { get; }

    /// <summary>The moment in-flight work is aborted; <see langword="null"/> while <see cref="LameduckPhase.Serving"/>.</summary>
    DateTimeOffset? Deadline { get; }

    /// <summary>Units of work (requests, messages) currently in flight.</summary>
    int InFlight { get; }

    /// <summary>Units of work that started during the lame-duck window.</summary>
    long ServedDuringLameDuck { get; }

    /// <summary>Units of work still in flight when the drain deadline passed.</summary>
    long Aborted { get; }

    /// <summary>
    /// Reports that a unit of work arrived (it resets the quiet-period clock) and is in flight until the
    /// returned scope is disposed.
    /// </summary>
    /// <example><code>using (lameduck.BeginWork()) { await HandleAsync(message); }</code></example>
    WorkScope BeginWork();
}
