using System.Text;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint.Output;

/// <summary>
/// Findings for people: grouped by file, then object (namespace/kind/name); each with its line, severity, rule and
/// message, lines wrapped to the terminal. A fix is printed once per rule and fix text: later findings that need the
/// same change say so in a word instead of repeating it. Files that could not be read, a per-rule tally and a summary
/// line close the report.
/// </summary>
internal static class TextReport
{
    /// <summary>The width used when the output is not a terminal.</summary>
    public const int DefaultWidth = 100;

    /// <summary>
    /// The width to wrap at: <c>COLUMNS</c> when set (shells export it), the console's width when stdout is a terminal,
    /// else <see cref="DefaultWidth"/>. Never below 60, so that wrapped text stays readable.
    /// </summary>
    public static int TerminalWidth()
    {
        int? console = null;
        try
        {
            if (!Console.IsOutputRedirected && Console.WindowWidth > 0) console = Console.WindowWidth;
        }
        catch (IOException)
        {
            // No console attached.
        }
        return WidthFrom(Environment.GetEnvironmentVariable("COLUMNS"), console);
    }

    /// <summary>The width from <c>COLUMNS</c> (wins when it is a number), else the terminal's, else <see cref="DefaultWidth"/>; at least 60.</summary>
    public static int WidthFrom(string? columns, int? terminalWidth) =>
        int.TryParse(columns, out var c) && c > 0 ? Math.Max(60, c)
        : terminalWidth is > 0 and var t ? Math.Max(60, t)
        : DefaultWidth;

    /// <summary>Writes <paramref name="result"/> to <paramref name="output"/>, wrapped at <paramref name="width"/> columns.</summary>
    public static void Write(LintResult result, TextWriter output, int width = DefaultWidth)
    {
        var fixesShown = new HashSet<(string Rule, string Fix)>();
        foreach (var byFile in result.Findings.GroupBy(f => f.File))
        {
            output.WriteLine(byFile.Key);
            foreach (var byObject in byFile.GroupBy(f => f.QualifiedObject))
            {
                var template = byObject.First().Template;
                output.WriteLine($"  {byObject.Key}{(template is null ? "" : $"  (from {template})")}");
                foreach (var f in byObject)
                {
                    var where = f.Container is null ? "" : $"container '{f.Container}': ";
                    var head = $"    {f.Line,5}  {f.Severity.ToText(),-7}  {f.Rule}  ";
                    var indent = new string(' ', head.Length);
                    WriteWrapped(output, head, indent, where + f.Message, width);
                    var fix = fixesShown.Add((f.Rule, f.Fix)) ? "fix: " + f.Fix : $"fix: as above ({f.Rule})";
                    WriteWrapped(output, indent, indent, fix, width);
                }
            }
            output.WriteLine();
        }
        if (result.UnreadableFiles.Count > 0)
        {
            output.WriteLine(result.Strict ? "Could not be read (--strict: the run fails):" : "Not linted (could not be read; the other files were linted):");
            foreach (var e in result.UnreadableFiles) WriteWrapped(output, "  ", "      ", $"{e.File}:{e.Line}: {e.Reason}", width);
            output.WriteLine();
        }
        if (result.Findings.Count > 0)
        {
            WriteWrapped(output, "", "  ", "By rule: " + string.Join(", ", result.Tally().Select(t => $"{t.Rule} {t.Count}")), width);
        }
        output.WriteLine(Summary(result));
    }

    /// <summary>The closing line: <c>2 errors, 1 warning in 2 objects (12 objects in 3 files linted)</c>.</summary>
    public static string Summary(LintResult result)
    {
        if (result.ObjectCount == 0) return "Nothing linted: no Kubernetes object in the input.";
        var unusable = result.InputErrors.Count == 0 ? "" : $" {Plural(result.InputErrors.Count, "input")} could not be read (see the errors above).";
        var notLinted = result.UnreadableFiles.Count == 0 ? "" : $" {Plural(result.UnreadableFiles.Count, "file")} not linted (could not be read).";
        var extra = new List<string>();
        if (result.Suppressed > 0) extra.Add($"{result.Suppressed} suppressed by {Model.Suppression.Annotation}");
        if (result.Excluded > 0) extra.Add($"{Plural(result.Excluded, "file")} excluded");
        // Counts ends with "linted)."; what was left out goes inside its parenthesis.
        var counts = Counts(result);
        if (extra.Count > 0) counts = $"{counts[..^2]}; {string.Join(", ", extra)}).";
        return counts + unusable + notLinted;
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
        var objects = result.Findings.Select(f => (f.File, f.QualifiedObject)).Distinct().Count();
        return $"{string.Join(", ", counts)} in {Plural(objects, "object")} ({scope}).";
    }

    // Word-wraps text after a first-line prefix; continuation lines start with the indent. A word longer than the line
    // (a path, a URL) is kept whole rather than cut.
    private static void WriteWrapped(TextWriter output, string first, string indent, string text, int width)
    {
        var line = new StringBuilder(first);
        int lineStart = 0;
        bool empty = true;
        foreach (var word in text.Split(' '))
        {
            if (!empty && line.Length - lineStart + 1 + word.Length > width)
            {
                output.WriteLine(line.ToString().TrimEnd());
                line.Clear().Append(indent);
                lineStart = 0;
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        output.WriteLine(line.ToString().TrimEnd());
    }

    private static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 || noun == "info" ? "" : "s")}";
}
