using Lameduck.Cli.Lint.Rules.Budget;
using Lameduck.Cli.Lint.Rules.Delay;
using Lameduck.Cli.Lint.Rules.Images;
using Lameduck.Cli.Lint.Rules.PhpFpm;
using Lameduck.Cli.Lint.Rules.Probes;
using Lameduck.Cli.Lint.Rules.Rollout;
using Lameduck.Cli.Lint.Rules.Signals;

namespace Lameduck.Cli.Lint.Rules;

/// <summary>Every rule, in id order.</summary>
internal static class RuleCatalog
{
    /// <summary>The rules <c>lameduck lint</c> runs (minus <c>--disable</c>d ones).</summary>
    public static IReadOnlyList<LintRule> All { get; } =
    [
        new PreStopSleepEatsGracePeriod(),
        new DelayExceedsGracePeriod(),
        new PreStopNeedsShell(),
        new NoGracefulStop(),
        new NoReadinessProbe(),
        new NoShutdownDelay(),
        new RolloutTakesAllReplicasDown(),
        new ProcessControlTimeoutMissing(),
        new LivenessSameAsReadiness(),
    ];

    /// <summary>The rule with <paramref name="id"/> (case-insensitive), or null.</summary>
    public static LintRule? Find(string id) => All.FirstOrDefault(r => string.Equals(r.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));
}
