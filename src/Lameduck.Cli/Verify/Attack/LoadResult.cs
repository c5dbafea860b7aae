using Lameduck.Cli.Verify.Events;
using Lameduck.Cli.Verify.Metrics;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>Everything a finished (or interrupted) run measured: what reporters take.</summary>
/// <param name="Run">What was run (target, rate, duration, start, whether interrupted).</param>
/// <param name="Summary">The figures.</param>
/// <param name="Events">Timeline markers, ordered by time.</param>
public sealed record LoadResult(RunInfo Run, LoadSummary Summary, IReadOnlyList<RunEvent> Events)
{
    /// <summary>True when the run was stopped before its duration.</summary>
    public bool Interrupted => Run.Interrupted;
}
