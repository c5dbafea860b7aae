namespace Lameduck.Cli.Lint.Output;

/// <summary>
/// One line per finding, <c>path:line: LD006 message (namespace/Kind/name, container 'app')</c>, the form compilers
/// print and editors and CI logs turn into links; unreadable files the same way; the summary line last.
/// </summary>
internal static class ShortReport
{
    /// <summary>Writes <paramref name="result"/> to <paramref name="output"/>.</summary>
    public static void Write(LintResult result, TextWriter output)
    {
        foreach (var e in result.UnreadableFiles) output.WriteLine($"{e.File}:{e.Line}: {(result.Strict ? "error" : "not linted")}: {e.Reason}");
        foreach (var f in result.Findings)
        {
            var container = f.Container is null ? "" : $", container '{f.Container}'";
            output.WriteLine($"{f.File}:{f.Line}: {f.Rule} {f.Message} ({f.QualifiedObject}{container})");
        }
        output.WriteLine(TextReport.Summary(result));
    }
}
