namespace Lameduck.Cli.Lint.Output;

/// <summary>The report formats of <c>--format</c>.</summary>
internal enum ReportFormat
{
    /// <summary>Human-readable, grouped by file and object, with a summary line.</summary>
    Text,

    /// <summary><c>{ "findings": [...] }</c> per docs/DESIGN.md.</summary>
    Json,

    /// <summary>SARIF 2.1.0 for GitHub code scanning.</summary>
    Sarif,
}
