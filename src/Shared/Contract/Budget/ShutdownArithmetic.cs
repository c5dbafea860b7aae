namespace Lameduck.Contract.Budget;

/// <summary>
/// The one budget of a pod's shutdown: <c>GracePeriod = PreStop + lame-duck window (Delay) + drain + SafetyMargin</c>,
/// all counted from the start of termination as the kubelet counts them (the preStop hook runs inside the grace
/// period, before the stop signal). The library derives its drain deadline from it, lameduck-init its SIGKILL time,
/// lint its budget rule and inject the grace period it writes.
/// </summary>
/// <example>
/// <code>
/// var budget = new ShutdownArithmetic(GracePeriod: TimeSpan.FromSeconds(30), PreStop: TimeSpan.Zero,
///     Delay: TimeSpan.FromSeconds(5), SafetyMargin: TimeSpan.FromSeconds(2));
/// // budget.AfterSignal == 28 s, budget.Drain == 23 s, budget.Fits
/// </code>
/// </example>
internal readonly record struct ShutdownArithmetic(TimeSpan GracePeriod, TimeSpan PreStop, TimeSpan Delay, TimeSpan SafetyMargin)
{
    /// <summary>From the stop signal until the process must be gone: <c>GracePeriod − PreStop − SafetyMargin</c>.</summary>
    public TimeSpan AfterSignal => GracePeriod - PreStop - SafetyMargin;

    /// <summary>What is left to finish in-flight work once the window ends: <c>AfterSignal − Delay</c>.</summary>
    public TimeSpan Drain => AfterSignal - Delay;

    /// <summary>The fixed parts: <c>PreStop + Delay + SafetyMargin</c>.</summary>
    public TimeSpan Fixed => PreStop + Delay + SafetyMargin;

    /// <summary>True when some time is left to drain (a budget that leaves exactly nothing does not fit).</summary>
    public bool Fits => Fixed < GracePeriod;

    /// <summary>
    /// The smallest whole number of seconds (what <c>terminationGracePeriodSeconds</c> holds) that leaves at least
    /// <paramref name="drain"/> to drain after <paramref name="preStop"/>, <paramref name="delay"/> and <paramref name="margin"/>.
    /// </summary>
    public static long GraceSecondsFor(TimeSpan preStop, TimeSpan delay, TimeSpan margin, TimeSpan drain) =>
        (long)Math.Ceiling((preStop + delay + margin + drain).TotalSeconds);
}
