using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Lameduck.Cli.Lint.Input;

/// <summary>
/// Reads a multi-document YAML (or JSON) text into <see cref="YamlNode"/> trees that remember where each
/// node was written. Built on YamlDotNet's event parser rather than its RepresentationModel so that:
/// aliases stay references (no expansion), duplicate keys are reported with both lines (the API server
/// rejects them too), the node count and depth are bounded, and nothing recurses on the call stack.
/// </summary>
internal static partial class YamlLoader
{
    /// <summary>Parses every document of <paramref name="text"/>.</summary>
    /// <exception cref="LintInputException">The text is not well-formed YAML, or exceeds <see cref="InputLimits"/>.</exception>
    public static List<ManifestDocument> Load(SourceFile file, string text)
    {
        try
        {
            return Parse(file, text, text, static i => (int)i);
        }
        catch (LintInputException e) when (e.Reason.Contains(ExtraSpacesInFirstLine, StringComparison.Ordinal))
        {
            // YamlDotNet rejects a block scalar whose first line holds only spaces ("key: |" then "  " then content),
            // which YAML 1.2 and the parsers kubectl and Helm use accept: such lines are empty lines of the scalar.
            // Parse again with every blank line emptied; positions are mapped back so nodes point into the real text.
            var (blanked, map) = BlankWhitespaceOnlyLines(text);
            return Parse(file, text, blanked, map);
        }
    }

    private const string ExtraSpacesInFirstLine = "found extra spaces in first line";

    // The text with whitespace-only lines made empty, and a map from an index into it to the index into the original.
    private static (string Text, Func<long, int> Map) BlankWhitespaceOnlyLines(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var removedBefore = new List<(int ParsedIndex, int Removed)>();
        int removed = 0;
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var line = text.AsSpan(start, end - start).TrimEnd('\r');
            if (line.Length > 0 && line.IsWhiteSpace())
            {
                removed += line.Length;
                removedBefore.Add((builder.Length, removed));
            }
            else
            {
                builder.Append(line);
            }
            builder.Append(text, start + line.Length, end - start - line.Length);
            if (end < text.Length) builder.Append('\n');
            start = end + 1;
        }
        return (builder.ToString(), index =>
        {
            int shift = 0;
            foreach (var (at, total) in removedBefore)
            {
                if (at > index) break;
                shift = total;
            }
            return (int)index + shift;
        });
    }

    private static List<ManifestDocument> Parse(SourceFile file, string text, string parseText, Func<long, int> index)
    {
        var sources = HelmSourceComments(text);
        var documents = new List<ManifestDocument>();
        var builder = new TreeBuilder(file, index);
        var parser = new Parser(new StringReader(parseText));
        int previousDocumentEnd = 0;
        int nextSource = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                switch (current)
                {
                    case DocumentStart:
                        builder.StartDocument();
                        break;
                    case DocumentEnd end:
                        var root = builder.Root;
                        int rootLine = root?.Line ?? (int)end.Start.Line;
                        documents.Add(new ManifestDocument(file, root, SourceBetween(sources, ref nextSource, previousDocumentEnd, rootLine)));
                        previousDocumentEnd = (int)end.End.Line;
                        break;
                    case StreamStart or StreamEnd:
                        break;
                    default:
                        builder.Add(current);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            var line = (int)e.Start.Line;
            // YamlDotNet places tab errors at the start of the enclosing construct; point at the tab itself.
            if (e.Message.Contains("tab", StringComparison.Ordinal)) line = FirstTabIndentedLine(text, line) ?? line;
            var reason = text.Contains("{{", StringComparison.Ordinal)
                ? "this looks like an unrendered Helm template: render it first (helm template RELEASE CHART | lameduck lint -); the YAML parser says: "
                : "not valid YAML: ";
            throw new LintInputException(file.DisplayPath, Math.Max(1, line), reason + WithoutPosition(e.Message));
        }
        return documents;
    }

    // helm template writes "# Source: chart/templates/x.yaml" right after each "---". Scanning lines is
    // cheaper and sturdier than asking the parser for comment events.
    private static List<(int Line, string Source)> HelmSourceComments(string text)
    {
        var found = new List<(int, string)>();
        int line = 1;
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var span = text.AsSpan(start, end - start);
            if (span.StartsWith("# Source: ", StringComparison.Ordinal))
            {
                found.Add((line, span["# Source: ".Length..].Trim().ToString()));
            }
            line++;
            start = end + 1;
        }
        return found;
    }

    private static int? FirstTabIndentedLine(string text, int fromLine)
    {
        var lines = text.Split('\n');
        for (int i = Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var indent = lines[i].AsSpan(0, lines[i].Length - lines[i].TrimStart(" \t").Length);
            if (indent.Contains('\t')) return i + 1;
        }
        return null;
    }

    // Documents come in line order, so one cursor walks the comments once (not once per document).
    private static string? SourceBetween(List<(int Line, string Source)> sources, ref int next, int afterLine, int atOrBeforeLine)
    {
        string? result = null;
        for (; next < sources.Count && sources[next].Line <= atOrBeforeLine; next++)
        {
            if (sources[next].Line >= afterLine) result = sources[next].Source;
        }
        return result;
    }

    private static string WithoutPosition(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    /// <summary>Assembles nodes from parser events with an explicit stack.</summary>
    private sealed class TreeBuilder(SourceFile file, Func<long, int> index)
    {
        private readonly Stack<Frame> _open = new();
        private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
        // Expanded size (aliases followed) of every closed collection, so a bomb is measured without expanding it.
        private readonly Dictionary<YamlNode, long> _expandedSize = new(ReferenceEqualityComparer.Instance);
        private int _nodes;
        private int _documentNodes;

        public YamlNode? Root { get; private set; }

        public void StartDocument()
        {
            Root = null;
            _open.Clear();
            _anchors.Clear(); // anchors do not cross document boundaries
            _expandedSize.Clear();
            _documentNodes = 0;
        }

        public void Add(ParsingEvent e)
        {
            switch (e)
            {
                case Scalar s:
                    var scalar = new YamlScalar(file, (int)s.Start.Line, (int)s.Start.Column, s.Value, s.Style)
                    {
                        Start = index(s.Start.Index),
                        End = index(s.End.Index),
                    };
                    Remember(s, scalar);
                    Attach(scalar, 1, 0, scalar.End);
                    break;
                case MappingStart m:
                    Open(m, new YamlMapping(file, (int)m.Start.Line, (int)m.Start.Column)
                    {
                        Start = index(m.Start.Index),
                        IsFlow = m.Style == MappingStyle.Flow,
                    });
                    break;
                case SequenceStart q:
                    Open(q, new YamlSequence(file, (int)q.Start.Line, (int)q.Start.Column)
                    {
                        Start = index(q.Start.Index),
                        IsFlow = q.Style == SequenceStyle.Flow,
                    });
                    break;
                case MappingEnd or SequenceEnd:
                    var closed = _open.Pop();
                    if (closed.IsAnchored) _expandedSize[closed.Node] = closed.ExpandedSize;
                    // A flow collection's end event sits on its closing bracket; a block one ends with its last child.
                    closed.Node.End = closed.Node is YamlMapping { IsFlow: true } or YamlSequence { IsFlow: true } || closed.LastChildEnd < 0
                        ? index(e.Start.Index) + 1
                        : closed.LastChildEnd;
                    Attach(closed.Node, closed.ExpandedSize, (int)e.Start.Line, closed.Node.End);
                    break;
                case AnchorAlias alias:
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new LintInputException(file.DisplayPath, (int)alias.Start.Line, $"alias *{alias.Value.Value} refers to no anchor");
                    }
                    if (target is not YamlScalar && _open.Any(f => ReferenceEquals(f.Node, target)))
                    {
                        // A node that contains itself would send every walk over the tree round in circles.
                        throw new LintInputException(file.DisplayPath, (int)alias.Start.Line,
                            $"alias *{alias.Value.Value} refers to a node that contains it (recursive YAML)");
                    }
                    target.IsAliased = true;
                    Attach(target, _expandedSize.TryGetValue(target, out var size) ? size : 1, (int)alias.Start.Line, index(alias.End.Index));
                    break;
            }
        }

        private void Open(NodeEvent e, YamlNode node)
        {
            if (_open.Count >= InputLimits.MaxDepth)
            {
                throw new LintInputException(file.DisplayPath, (int)e.Start.Line, $"nesting deeper than {InputLimits.MaxDepth} levels");
            }
            Count(e);
            Remember(e, node);
            _open.Push(new Frame(node, !e.Anchor.IsEmpty));
        }

        private void Remember(NodeEvent e, YamlNode node)
        {
            if (e is Scalar) Count(e);
            if (!e.Anchor.IsEmpty) _anchors[e.Anchor.Value] = node;
        }

        private void Count(ParsingEvent e)
        {
            _documentNodes++;
            if (++_nodes > InputLimits.MaxNodesPerFile)
            {
                throw new LintInputException(file.DisplayPath, (int)e.Start.Line,
                    $"more than {InputLimits.MaxNodesPerFile:N0} YAML nodes in one file; split it");
            }
        }

        private void Attach(YamlNode node, long expandedSize, int line, int siteEnd)
        {
            if (_open.Count == 0)
            {
                Root = node;
                return;
            }
            var parent = _open.Peek();
            parent.LastChildEnd = siteEnd;
            parent.ExpandedSize += expandedSize;
            // Without aliases the expanded size equals the nodes built; only reuse on a large scale is refused.
            if (parent.ExpandedSize > InputLimits.MaxExpandedNodesPerDocument && parent.ExpandedSize > 10L * _documentNodes)
            {
                throw new LintInputException(file.DisplayPath, line > 0 ? line : node.Line,
                    $"aliases expand this document past {InputLimits.MaxExpandedNodesPerDocument:N0} nodes (an alias bomb?); refused");
            }
            switch (parent.Node)
            {
                case YamlSequence sequence:
                    sequence.Items.Add(node);
                    break;
                case YamlMapping mapping when parent.PendingKey is null:
                    parent.PendingKey = node;
                    break;
                case YamlMapping mapping:
                    var entry = new YamlMappingEntry(parent.PendingKey, node);
                    parent.PendingKey = null;
                    if (mapping.TryAdd(entry) is { } first)
                    {
                        throw new LintInputException(file.DisplayPath, entry.Key.Line,
                            $"duplicate key '{entry.KeyText}' (first set on line {first.Key.Line})");
                    }
                    break;
            }
        }

        private sealed class Frame(YamlNode node, bool isAnchored)
        {
            public bool IsAnchored { get; } = isAnchored;

            public YamlNode Node { get; } = node;
            public YamlNode? PendingKey { get; set; }

            /// <summary>Where the last child written so far ends in the text (an alias ends where <c>*name</c> does); -1 before any.</summary>
            public int LastChildEnd { get; set; } = -1;

            /// <summary>Nodes this collection stands for with aliases followed (itself included).</summary>
            public long ExpandedSize { get; set; } = 1;
        }
    }
}
