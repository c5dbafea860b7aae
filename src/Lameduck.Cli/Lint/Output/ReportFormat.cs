namespace Lameduck.Cli.Lint.Output;

/// <summary>The report formats of <c>--format</c>.</summary>
internal enum ReportFormat
{
    /// <summary>Human-readable, grouped by file and object, wrapped to the terminal, with a per-rule tally.</summary>
    Text,

    /// <summary>One line per finding, <c>path:line: LD006 message</c>, which editors and CI logs link to the line.</summary>
    Short,

    /// <summary><c>{ "findings": [...] }</c> per docs/DESIGN.md.</summary>
    Json,

    /// <summary>SARIF 2.1.0 for GitHub code scanning.</summary>
    Sarif,
}
