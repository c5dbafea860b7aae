using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>The outcome of a lint run.</summary>
/// <param name="Findings">Findings in stable order (suppressed ones left out).</param>
/// <param name="InputErrors">Paths that name nothing usable (each makes the run exit 2).</param>
/// <param name="Skipped">Documents skipped as not Kubernetes objects.</param>
/// <param name="ObjectCount">Kubernetes objects linted.</param>
/// <param name="FileCount">Files read.</param>
internal sealed record LintResult(
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<LintInputException> InputErrors,
    IReadOnlyList<(string File, int Line, string Reason)> Skipped,
    int ObjectCount,
    int FileCount)
{
    /// <summary>Files that could not be parsed (not YAML, too large, an unrendered template...): reported, not linted.</summary>
    public IReadOnlyList<LintInputException> UnreadableFiles { get; init; } = [];

    /// <summary>With <c>--strict</c> an unreadable file makes the run exit 2.</summary>
    public bool Strict { get; init; }

    /// <summary>Findings left out by a <c>lameduck.dev/lint-ignore</c> annotation.</summary>
    public int Suppressed { get; init; }

    /// <summary>Files left out by <c>--exclude</c>.</summary>
    public int Excluded { get; init; }

    /// <summary>
    /// Usage (2) on a path naming nothing, nothing to lint, or (with <c>--strict</c>) an unreadable file; else Failed (1)
    /// when an error-level finding exists; else Ok (0).
    /// </summary>
    public int ExitCode =>
        InputErrors.Count > 0 || ObjectCount == 0 || Strict && UnreadableFiles.Count > 0 ? ExitCodes.Usage
        : Findings.Any(f => f.Severity == Severity.Error) ? ExitCodes.Failed
        : ExitCodes.Ok;

    /// <summary>Findings per rule id, in rule order.</summary>
    public IEnumerable<(string Rule, int Count)> Tally() =>
        Findings.GroupBy(f => f.Rule).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()));
}
