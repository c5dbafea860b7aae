namespace Lameduck.Contract.Budget;

/// <summary>
/// The defaults of the shutdown budget, the same in the library (<c>Lameduck__*</c>), lameduck-init
/// (<c>LAMEDUCK_*</c>), lint (what a container that sets nothing gets) and inject (what it writes).
/// </summary>
internal static class ShutdownDefaults
{
    /// <summary>Kubernetes' default <c>terminationGracePeriodSeconds</c>.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>No preStop hook.</summary>
    public static readonly TimeSpan PreStop = TimeSpan.Zero;

    /// <summary>The longest lame-duck window: the write-ups' 5 s, longer than endpoint propagation usually takes.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    /// <summary>With an adaptive window, the shortest one: it never ends before endpoint removal can have propagated at all.</summary>
    public static readonly TimeSpan MinDelay = TimeSpan.FromSeconds(1);

    /// <summary>lameduck-init's quiet period with <c>--drain-port</c> (the library's <c>QuietPeriod</c> is off unless set).</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Time kept free before the kubelet's SIGKILL for the process to exit after the drain deadline.</summary>
    public static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(2);
}
