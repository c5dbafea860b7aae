using System.Text;
using Lameduck.Cli.Inject.Edits;
using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Inject.Rendering;

/// <summary>
/// Writes edits into the text a YAML (or JSON) document was read from, touching nothing else: a new member is
/// a new line after its mapping's last one, at the same indentation; a new item follows the last item with the
/// same dash column; a replaced value takes its old value's place. Comments, key order, quoting and blank
/// lines around the edits stay as they were.
/// </summary>
internal static class YamlTextEditor
{
    /// <summary>A span of the original text and what replaces it (an insertion when empty).</summary>
    internal readonly record struct Splice(int Start, int End, string Text);

    /// <summary>
    /// The splices that apply <paramref name="edits"/> to the object at <paramref name="root"/>. When an edit
    /// crosses an aliased node, or lands where text cannot be placed safely, the whole object is written anew
    /// from <paramref name="rewritten"/> (comments inside it are then lost; the caller says so).
    /// </summary>
    /// <returns>The splices, and whether the object had to be rewritten as a whole.</returns>
    public static (List<Splice> Splices, bool Rewritten) Plan(string text, YamlNode root, System.Text.Json.Nodes.JsonNode rewritten, IReadOnlyList<DocumentEdit> edits)
    {
        var style = StyleOf(text, root);
        if (edits.All(e => !e.ThroughAlias))
        {
            var splices = new List<Splice>(edits.Count);
            // Entries added to an empty flow collection ("env: []") go in as one list, with commas between them.
            var intoEmpty = new Dictionary<YamlNode, List<string>>(ReferenceEqualityComparer.Instance);
            bool ok = true;
            foreach (var edit in edits)
            {
                if (EmptyFlowTarget(edit) is { } empty)
                {
                    if (!intoEmpty.TryGetValue(empty, out var entries)) intoEmpty[empty] = entries = [];
                    entries.Add(edit is AddMember add ? Member(add.Key, add.Value, style) : YamlEmitter.Flow(edit.Value, style, SpaceInBraces(text, empty)));
                }
                else if (SpliceFor(text, edit, style) is { } splice)
                {
                    splices.Add(splice);
                }
                else
                {
                    ok = false;
                }
            }
            foreach (var (collection, entries) in intoEmpty)
            {
                splices.Add(new Splice(collection.Start + 1, collection.Start + 1, string.Join(", ", entries)));
            }
            if (ok && !Overlapping(splices)) return (splices, false);
        }
        return ([WholeObject(text, root, rewritten, style)], true);
    }

    /// <summary>Applies <paramref name="splices"/> (positions in <paramref name="text"/>; insertions at one place keep their order).</summary>
    public static string Apply(string text, IEnumerable<Splice> splices)
    {
        var ordered = splices.Select((s, i) => (s, i)).OrderBy(x => x.s.Start).ThenBy(x => x.i).Select(x => x.s).ToList();
        var sb = new StringBuilder(text.Length + ordered.Sum(s => s.Text.Length));
        int at = 0;
        foreach (var splice in ordered)
        {
            sb.Append(text, at, splice.Start - at).Append(splice.Text);
            at = splice.End;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }

    private static bool Overlapping(List<Splice> splices)
    {
        var sorted = splices.OrderBy(s => s.Start).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Start < sorted[i - 1].End) return true;
        }
        return false;
    }

    private static YamlNode? EmptyFlowTarget(DocumentEdit edit) => edit switch
    {
        AddMember { Parent: { IsFlow: true, Entries.Count: 0 } mapping } => mapping,
        AppendItem { Parent: { IsFlow: true, Items.Count: 0 } sequence } => sequence,
        _ => null,
    };

    private static Splice? SpliceFor(string text, DocumentEdit edit, TextStyle style) => edit switch
    {
        AddMember { Parent: { } mapping } add => AddMemberSplice(text, mapping, add, style),
        AppendItem { Parent: { } sequence } append => AppendSplice(text, sequence, append, style),
        ReplaceValue { Node: { } node } replace => ReplaceSplice(text, node, replace, style),
        _ => null,
    };

    private static Splice? AddMemberSplice(string text, YamlMapping mapping, AddMember add, TextStyle style)
    {
        if (mapping.IsFlow) return FlowInsert(text, mapping, mapping.Entries.LastOrDefault()?.Key, Member(add.Key, add.Value, style), style);
        if (mapping.Entries.Count == 0) return null;
        var sb = new StringBuilder();
        YamlEmitter.Member(add.Key, add.Value, mapping.Column - 1, style, sb);
        return InsertLines(text, mapping.End, sb.ToString(), style);
    }

    private static Splice? AppendSplice(string text, YamlSequence sequence, AppendItem append, TextStyle style)
    {
        var last = sequence.Items.LastOrDefault();
        if (sequence.IsFlow) return FlowInsert(text, sequence, last, YamlEmitter.Flow(append.Value, style, SpaceInBraces(text, last)), style);
        if (last is null) return null;
        var first = sequence.Items[0];
        var dashColumn = sequence.Column - 1;
        var contentColumn = first.Line == sequence.Line ? first.Column - 1 : dashColumn + 2;
        var sb = new StringBuilder();
        YamlEmitter.Item(append.Value, dashColumn, contentColumn, style, sb, flowItems: first is YamlMapping { IsFlow: true }, SpaceInBraces(text, first));
        return InsertLines(text, sequence.End, sb.ToString(), style);
    }

    private static Splice? ReplaceSplice(string text, YamlNode node, ReplaceValue replace, TextStyle style)
    {
        switch (node)
        {
            case YamlScalar scalar when replace.Value is System.Text.Json.Nodes.JsonObject or System.Text.Json.Nodes.JsonArray:
                // A scalar (usually an empty value: "env:") becomes a collection: write it in flow style after the key's colon.
                if (replace.Key is null) return null;
                int colon = text.IndexOf(':', replace.Key.End);
                if (colon < 0) return null;
                int end = scalar.End > scalar.Start ? scalar.End : colon + 1;
                return new Splice(colon + 1, end, " " + YamlEmitter.Flow(replace.Value, style));
            case YamlScalar scalar:
                var span = ScalarSpan(text, scalar);
                return new Splice(scalar.Start, span, ScalarLike(scalar, replace.Value, style));
            case YamlMapping { IsFlow: true } or YamlSequence { IsFlow: true }:
                return new Splice(node.Start, node.End, YamlEmitter.Flow(replace.Value, style, SpaceInBraces(text, node)));
            default:
                return new Splice(node.Start, node.End, YamlEmitter.BlockValue(replace.Value, node.Column - 1, style));
        }
    }

    // A block scalar's span ends after its line breaks (and the blank lines it keeps); the replacement keeps them.
    private static int ScalarSpan(string text, YamlScalar scalar)
    {
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded)) return scalar.End;
        int end = scalar.End;
        while (end > scalar.Start && text[end - 1] is '\n' or '\r' or ' ') end--;
        return end;
    }

    // Keep the old value's quoting when the new one is a string it can hold.
    private static string ScalarLike(YamlScalar old, System.Text.Json.Nodes.JsonNode? value, TextStyle style)
    {
        if (value is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            if (old.Style == YamlDotNet.Core.ScalarStyle.DoubleQuoted) return YamlEmitter.DoubleQuoted(s);
            if (old.Style == YamlDotNet.Core.ScalarStyle.SingleQuoted && !s.Contains('\n')) return YamlEmitter.SingleQuoted(s);
        }
        return YamlEmitter.Scalar(value, style);
    }

    private static string Member(string key, System.Text.Json.Nodes.JsonNode? value, TextStyle style) =>
        YamlEmitter.Text(key, style) + ": " + YamlEmitter.Flow(value, style);

    // Inside { } or [ ]: after the last entry (", new"), or straight after the opening bracket when empty. When the
    // collection spreads over lines (pretty-printed JSON), the new entry gets a line of its own at its neighbours' column.
    private static Splice? FlowInsert(string text, YamlNode collection, YamlNode? lastEntryStart, string entry, TextStyle style)
    {
        int close = collection.End - 1;
        if (close < 0 || close >= text.Length || text[close] is not ('}' or ']')) return null;
        if (lastEntryStart is null) return new Splice(collection.Start + 1, collection.Start + 1, entry);
        int lastEnd = collection switch
        {
            YamlMapping m => m.Entries[^1].Value.End,
            YamlSequence q => q.Items[^1].End,
            _ => close,
        };
        if (lastEntryStart.Line != collection.Line)
        {
            return new Splice(lastEnd, lastEnd, "," + style.Newline + new string(' ', lastEntryStart.Column - 1) + entry);
        }
        return new Splice(lastEnd, lastEnd, ", " + entry);
    }

    // New lines go after the line where the collection's content ends (after a comment on it, before the next line).
    private static Splice InsertLines(string text, int contentEnd, string lines, TextStyle style)
    {
        int at = contentEnd;
        if (at > 0 && text[at - 1] == '\n') return new Splice(at, at, lines);
        int newline = text.IndexOf('\n', at);
        if (newline >= 0) return new Splice(newline + 1, newline + 1, lines);
        return new Splice(text.Length, text.Length, style.Newline + lines[..^style.Newline.Length]);
    }

    private static Splice WholeObject(string text, YamlNode root, System.Text.Json.Nodes.JsonNode rewritten, TextStyle style)
    {
        var value = root is YamlMapping { IsFlow: true } or YamlSequence { IsFlow: true }
            ? YamlEmitter.Flow(rewritten, style)
            : YamlEmitter.BlockValue(rewritten, root.Column - 1, style);
        return new Splice(root.Start, root.End, value);
    }

    private static bool SpaceInBraces(string text, YamlNode? node) =>
        node is YamlMapping { IsFlow: true } or YamlSequence { IsFlow: true } && node.Start + 1 < text.Length && text[node.Start + 1] == ' ';

    /// <summary>The indentation step, sequence style, line break and JSON-ness of the text around <paramref name="root"/>.</summary>
    public static TextStyle StyleOf(string text, YamlNode root)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        bool json = root is YamlMapping { IsFlow: true } m && m.Entries.FirstOrDefault()?.Key is YamlScalar { Style: YamlDotNet.Core.ScalarStyle.DoubleQuoted };
        int? step = null;
        bool? indentless = null;
        var pending = new Stack<YamlNode>();
        pending.Push(root);
        while (pending.Count > 0 && (step is null || indentless is null))
        {
            switch (pending.Pop())
            {
                case YamlMapping { IsFlow: false } mapping:
                    foreach (var entry in mapping.Entries)
                    {
                        if (entry.Value is YamlMapping { IsFlow: false } child && child.Line > entry.Key.Line) step ??= child.Column - entry.Key.Column;
                        if (entry.Value is YamlSequence { IsFlow: false } seq && seq.Line > entry.Key.Line) indentless ??= seq.Column == entry.Key.Column;
                        pending.Push(entry.Value);
                    }
                    break;
                case YamlSequence { IsFlow: false } sequence:
                    foreach (var item in sequence.Items) pending.Push(item);
                    break;
            }
        }
        return new TextStyle(step is > 0 ? step.Value : 2, indentless ?? false, newline, json);
    }
}
