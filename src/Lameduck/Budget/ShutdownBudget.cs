using Lameduck.Contract.Budget;
using Lameduck.Text;

namespace Lameduck.Budget;

/// <summary>
/// One budget rules the timings: <c>GracePeriod = PreStop + lame-duck window + drain + SafetyMargin</c>.
/// The drain timeout (and with it <c>HostOptions.ShutdownTimeout</c>) is what is left of the grace period
/// after the longest window, so it is derived, never configured a second time.
/// </summary>
/// <example>
/// <code>
/// var budget = ShutdownBudget.From(new LameduckOptions { GracePeriod = TimeSpan.FromSeconds(30) });
/// // budget.DrainTimeout == 23 s (30 - 0 preStop - 5 delay - 2 margin)
/// </code>
/// </example>
public sealed record ShutdownBudget
{
    private ShutdownBudget(TimeSpan afterSignal, TimeSpan window, TimeSpan drain)
    {
        AfterSignal = afterSignal;
        LongestWindow = window;
        DrainTimeout = drain;
    }

    /// <summary>Time from the stop signal until the process must have exited: GracePeriod − PreStop − SafetyMargin.</summary>
    public TimeSpan AfterSignal { get; }

    /// <summary>The longest lame-duck window (<see cref="LameduckOptions.Delay"/>).</summary>
    public TimeSpan LongestWindow { get; }

    /// <summary>How long in-flight work may take once listeners close: GracePeriod − PreStop − Delay − SafetyMargin.</summary>
    public TimeSpan DrainTimeout { get; }

    /// <summary>Derives the budget; throws <see cref="InvalidOperationException"/> with the validator's message when it does not fit.</summary>
    public static ShutdownBudget From(LameduckOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
        var budget = Arithmetic(options);
        return new ShutdownBudget(budget.AfterSignal, options.Delay, budget.Drain);
    }

    /// <summary>Everything wrong with <paramref name="options"/>, one sentence each naming the options and the numbers.</summary>
    public static IReadOnlyList<string> Problems(LameduckOptions options)
    {
        var problems = new List<string>();
        void NotNegative(string name, TimeSpan value)
        {
            if (value < TimeSpan.Zero)
            {
                problems.Add($"Lameduck: {name} ({Show(value)}) must not be negative.");
            }
        }

        NotNegative(nameof(options.GracePeriod), options.GracePeriod);
        NotNegative(nameof(options.PreStop), options.PreStop);
        NotNegative(nameof(options.Delay), options.Delay);
        NotNegative(nameof(options.MinDelay), options.MinDelay);
        NotNegative(nameof(options.SafetyMargin), options.SafetyMargin);
        if (options.QuietPeriod is { } quiet && quiet <= TimeSpan.Zero)
        {
            problems.Add($"Lameduck: QuietPeriod ({Show(quiet)}) must be positive; leave it unset to turn it off.");
        }
        if (options.MinDelay > options.Delay)
        {
            problems.Add($"Lameduck: MinDelay ({Show(options.MinDelay)}) must not be longer than Delay ({Show(options.Delay)}).");
        }
        if (!Enum.IsDefined(options.Readiness))
        {
            problems.Add($"Lameduck: Readiness ({options.Readiness}) must be Fail or KeepServing.");
        }
        if (problems.Count == 0)
        {
            var budget = Arithmetic(options);
            var used = budget.Fixed;
            if (!budget.Fits)
            {
                problems.Add(
                    $"Lameduck: PreStop ({Show(options.PreStop)}) + Delay ({Show(options.Delay)}) + SafetyMargin ({Show(options.SafetyMargin)}) " +
                    $"= {Show(used)} does not fit in GracePeriod ({Show(options.GracePeriod)}): nothing is left to drain in-flight requests. " +
                    "Raise GracePeriod (the pod's terminationGracePeriodSeconds) or shorten the others.");
            }
        }
        return problems;
    }

    private static ShutdownArithmetic Arithmetic(LameduckOptions o) => new(o.GracePeriod, o.PreStop, o.Delay, o.SafetyMargin);

    private static string Show(TimeSpan value) =>
        value < TimeSpan.Zero ? "-" + DurationText.Format(value.Negate()) : DurationText.Format(value);
}
