using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Rules;

/// <summary>
/// A check for one shutdown hazard. Each rule carries the text users read in docs/lint.md and in SARIF
/// (why it matters, how to fix it) next to the code that finds it.
/// </summary>
internal abstract class LintRule
{
    /// <summary>The stable id: <c>LD001</c>.</summary>
    public abstract string Id { get; }

    /// <summary>A PascalCase name (SARIF <c>name</c>).</summary>
    public abstract string Name { get; }

    /// <summary>How bad a finding is.</summary>
    public abstract Severity Severity { get; }

    /// <summary>One sentence: what the rule finds.</summary>
    public abstract string Summary { get; }

    /// <summary>A paragraph: why it costs requests.</summary>
    public abstract string Why { get; }

    /// <summary>The fix, as a YAML snippet.</summary>
    public abstract string FixYaml { get; }

    /// <summary>What the rule deliberately does not report, and why (docs/lint.md prints it under the rule).</summary>
    public abstract string NotReported { get; }

    /// <summary>Findings in the input.</summary>
    public abstract IEnumerable<Finding> Check(LintContext context);

    /// <summary>A finding about <paramref name="obj"/> located at <paramref name="at"/>.</summary>
    protected Finding Report(KubeObject obj, Container? container, YamlNode at, string message, string fix) =>
        new(Id, Severity, at.File.DisplayPath, at.Line, obj.Id, container?.Name, message, fix, obj.Document.HelmSource,
            obj.Namespace.Length == 0 ? null : obj.Namespace);

    /// <summary>Seconds as messages print them: <c>5</c>, <c>2.5</c>.</summary>
    protected static string Seconds(double seconds) => seconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
