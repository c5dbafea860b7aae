using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint.Output;

/// <summary>Findings for people: grouped by file, then object; each with its line, severity, rule, message and fix.</summary>
internal static class TextReport
{
    /// <summary>Writes <paramref name="result"/> to <paramref name="output"/>.</summary>
    public static void Write(LintResult result, TextWriter output)
    {
        foreach (var byFile in result.Findings.GroupBy(f => f.File))
        {
            output.WriteLine(byFile.Key);
            foreach (var byObject in byFile.GroupBy(f => f.Object))
            {
                var template = byObject.First().Template;
                output.WriteLine($"  {byObject.Key}{(template is null ? "" : $"  (from {template})")}");
                foreach (var f in byObject)
                {
                    var where = f.Container is null ? "" : $"container '{f.Container}': ";
                    output.WriteLine($"    {f.Line,5}  {f.Severity.ToText(),-7}  {f.Rule}  {where}{f.Message}");
                    output.WriteLine($"    {"",5}  {"",-7}  {"",5}  fix: {f.Fix}");
                }
            }
            output.WriteLine();
        }
        output.WriteLine(Summary(result));
    }

    /// <summary>The closing line: <c>2 errors, 1 warning in 2 objects (12 objects in 3 files linted)</c>.</summary>
    public static string Summary(LintResult result)
    {
        if (result.ObjectCount == 0) return "Nothing linted: no Kubernetes object in the input.";
        var unusable = result.InputErrors.Count == 0 ? "" : $" {Plural(result.InputErrors.Count, "input")} could not be read (see the errors above).";
        return Counts(result) + unusable;
    }

    private static string Counts(LintResult result)
    {
        var scope = $"{Plural(result.ObjectCount, "object")} in {Plural(result.FileCount, "file")} linted";
        if (result.Findings.Count == 0) return $"No shutdown hazards found ({scope}).";
        int errors = result.Findings.Count(f => f.Severity == Severity.Error);
        int warnings = result.Findings.Count(f => f.Severity == Severity.Warning);
        int infos = result.Findings.Count - errors - warnings;
        var counts = new List<string> { Plural(errors, "error"), Plural(warnings, "warning") };
        if (infos > 0) counts.Add(Plural(infos, "info"));
        var objects = result.Findings.Select(f => (f.File, f.Object)).Distinct().Count();
        return $"{string.Join(", ", counts)} in {Plural(objects, "object")} ({scope}).";
    }

    private static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 || noun == "info" ? "" : "s")}";
}
