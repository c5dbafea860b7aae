using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>The outcome of a lint run.</summary>
/// <param name="Findings">Findings in stable order.</param>
/// <param name="InputErrors">Inputs that could not be read (each makes the run exit 2).</param>
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
    /// <summary>Usage (2) on unusable input (or nothing to lint), Failed (1) when an error-level finding exists, else Ok (0).</summary>
    public int ExitCode =>
        InputErrors.Count > 0 || ObjectCount == 0 ? ExitCodes.Usage
        : Findings.Any(f => f.Severity == Severity.Error) ? ExitCodes.Failed
        : ExitCodes.Ok;
}
