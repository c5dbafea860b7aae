using System.Globalization;
using System.Text;
using Lameduck.Cli.Inject.Rendering;

namespace Lameduck.Cli.Inject.Output;

/// <summary>
/// <c>--dry-run</c>'s output: a unified diff (what <c>diff -u</c> prints, which <c>patch</c> and <c>git apply</c>
/// read) built from the splices themselves rather than by comparing two texts: every changed line is known, so
/// the hunks are exact and cost nothing on a 10,000-object file.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff of <paramref name="original"/> with <paramref name="splices"/> applied, headed with <paramref name="path"/>.</summary>
    public static string Write(string path, string original, IReadOnlyList<YamlTextEditor.Splice> splices)
    {
        var oldLines = Lines(original);
        var lineStarts = LineStarts(original);
        var changes = Changes(original, lineStarts, splices);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(path).Append('\n').Append("+++ ").Append(path).Append('\n');

        int delta = 0; // new line number - old line number, before the current change
        int i = 0;
        while (i < changes.Count)
        {
            // A hunk: changes whose contexts touch, with up to 3 unchanged lines around them.
            int j = i;
            while (j + 1 < changes.Count && changes[j + 1].OldStart - changes[j].OldEnd <= 2 * Context) j++;
            int from = Math.Max(0, changes[i].OldStart - Context);
            int to = Math.Min(oldLines.Count, changes[j].OldEnd + Context);
            var body = new StringBuilder();
            int oldCount = 0, newCount = 0;
            int at = from;
            int hunkDelta = delta;
            for (int k = i; k <= j; k++)
            {
                var change = changes[k];
                for (; at < change.OldStart; at++, oldCount++, newCount++) Line(body, ' ', oldLines[at]);
                for (; at < change.OldEnd; at++, oldCount++) Line(body, '-', oldLines[at]);
                foreach (var line in change.NewLines)
                {
                    Line(body, '+', line);
                    newCount++;
                }
                delta += change.NewLines.Count - (change.OldEnd - change.OldStart);
            }
            for (; at < to; at++, oldCount++, newCount++) Line(body, ' ', oldLines[at]);
            sb.Append("@@ -").Append(Range(from, oldCount)).Append(" +").Append(Range(from + hunkDelta, newCount)).Append(" @@\n").Append(body);
            i = j + 1;
        }
        return sb.ToString();
    }

    // "start,count" with 1-based start; an empty range names the line before it.
    private static string Range(int start, int count) =>
        count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{start},0") : string.Create(CultureInfo.InvariantCulture, $"{start + 1},{count}");

    private static void Line(StringBuilder sb, char mark, (string Text, bool HasNewline) line)
    {
        sb.Append(mark).Append(line.Text).Append('\n');
        if (!line.HasNewline) sb.Append("\\ No newline at end of file\n");
    }

    private sealed record Change(int OldStart, int OldEnd, List<(string Text, bool HasNewline)> NewLines);

    // Each splice widened to whole lines; splices that share a line become one change.
    private static List<Change> Changes(string text, List<int> lineStarts, IReadOnlyList<YamlTextEditor.Splice> splices)
    {
        var ordered = splices.Select((s, i) => (s, i)).OrderBy(x => x.s.Start).ThenBy(x => x.i).Select(x => x.s).ToList();
        var changes = new List<Change>();
        int k = 0;
        while (k < ordered.Count)
        {
            var first = ordered[k];
            bool atLineStart = first.Start == 0 || text[first.Start - 1] == '\n';
            int oldStart = atLineStart ? LineIndex(lineStarts, text, first.Start) : LineOf(lineStarts, first.Start);
            int a = atLineStart ? first.Start : lineStarts[oldStart];
            int b = LineEndAfter(text, first);
            var content = new StringBuilder().Append(text, a, first.Start - a).Append(first.Text);
            int cursor = first.End;
            k++;
            while (k < ordered.Count && ordered[k].Start < b)
            {
                var next = ordered[k];
                content.Append(text, cursor, next.Start - cursor).Append(next.Text);
                cursor = next.End;
                b = Math.Max(b, LineEndAfter(text, next));
                k++;
            }
            content.Append(text, cursor, b - cursor);
            changes.Add(new Change(oldStart, LineIndex(lineStarts, text, b), Lines(content.ToString())));
        }
        return changes;
    }

    // The index of the line that starts at p (p at a line start, or the end of the text).
    private static int LineIndex(List<int> lineStarts, string text, int p) => p >= text.Length ? (text.Length == 0 ? 0 : lineStarts.Count) : LineOf(lineStarts, p);

    // Where the lines a splice touches end: a pure insertion at a line start touches no old line.
    private static int LineEndAfter(string text, YamlTextEditor.Splice splice)
    {
        if (splice.End == splice.Start && (splice.Start == 0 || text[splice.Start - 1] == '\n') && splice.Text.EndsWith('\n')) return splice.Start;
        int last = Math.Max(splice.Start, splice.End - 1);
        if (last >= text.Length) return text.Length;
        int newline = text.IndexOf('\n', last);
        return newline < 0 ? text.Length : newline + 1;
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && i + 1 < text.Length) starts.Add(i + 1);
        }
        return starts;
    }

    // The line holding position p (a position at the very end counts as a line after the last).
    private static int LineOf(List<int> lineStarts, int p)
    {
        int index = lineStarts.BinarySearch(p);
        return index >= 0 ? index : ~index - 1;
    }

    private static List<(string Text, bool HasNewline)> Lines(string text)
    {
        var lines = new List<(string, bool)>();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                lines.Add((text[start..], false));
                break;
            }
            lines.Add((text[start..newline], true));
            start = newline + 1;
        }
        return lines;
    }
}
