using Lameduck.Contract.Budget;

namespace Lameduck;

/// <summary>
/// The shutdown budget and the lame-duck window, bound from configuration section <c>Lameduck</c>
/// (<see cref="SectionName"/>), so <c>Lameduck__Delay=00:00:05</c> works as an environment variable.
/// Checked at start-up by <see cref="Options.LameduckOptionsValidator"/>.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddLameduck(o =>
/// {
///     o.GracePeriod = TimeSpan.FromSeconds(60); // the pod's terminationGracePeriodSeconds
///     o.Delay = TimeSpan.FromSeconds(10);
/// });
/// </code>
/// </example>
public sealed class LameduckOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Lameduck";

    /// <summary>The pod's <c>terminationGracePeriodSeconds</c>: the whole time from termination start to SIGKILL. Default 30 s.</summary>
    public TimeSpan GracePeriod { get; set; } = ShutdownDefaults.GracePeriod;

    /// <summary>How long the pod's preStop hook takes; the grace period counts from its start. Default 0.</summary>
    public TimeSpan PreStop { get; set; } = ShutdownDefaults.PreStop;

    /// <summary>The longest lame-duck window: serving on while load balancers learn that the pod is leaving. Default 5 s.</summary>
    public TimeSpan Delay { get; set; } = ShutdownDefaults.Delay;

    /// <summary>With <see cref="QuietPeriod"/> set, the window lasts at least this long. Default 1 s.</summary>
    public TimeSpan MinDelay { get; set; } = ShutdownDefaults.MinDelay;

    /// <summary>
    /// When set, the window ends as soon as <see cref="MinDelay"/> has passed and no request arrived for this
    /// long (traffic has moved elsewhere); otherwise it lasts <see cref="Delay"/>. Default off.
    /// </summary>
    public TimeSpan? QuietPeriod { get; set; }

    /// <summary>Time kept free before SIGKILL for the process to exit after the drain deadline. Default 2 s.</summary>
    public TimeSpan SafetyMargin { get; set; } = ShutdownDefaults.SafetyMargin;

    /// <summary>What readiness answers once the stop signal has arrived. Default <see cref="ReadinessMode.Fail"/>.</summary>
    public ReadinessMode Readiness { get; set; } = ReadinessMode.Fail;
}
