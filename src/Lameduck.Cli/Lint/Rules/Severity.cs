namespace Lameduck.Cli.Lint.Rules;

/// <summary>How bad a finding is. Errors make <c>lameduck lint</c> exit 1.</summary>
internal enum Severity
{
    /// <summary>Requests will be lost on every rollout.</summary>
    Error,

    /// <summary>Requests may be lost, depending on timing or infrastructure.</summary>
    Warning,

    /// <summary>Worth knowing; never fails a build.</summary>
    Info,
}

/// <summary>Spelling of severities in output.</summary>
internal static class SeverityText
{
    /// <summary><c>error</c>, <c>warning</c> or <c>info</c> (also SARIF's <c>error</c>, <c>warning</c>, <c>note</c> via <see cref="ToSarifLevel"/>).</summary>
    public static string ToText(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

    /// <summary>SARIF's result level.</summary>
    public static string ToSarifLevel(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
