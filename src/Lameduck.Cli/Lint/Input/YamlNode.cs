using YamlDotNet.Core;

namespace Lameduck.Cli.Lint.Input;

/// <summary>
/// A YAML node and the place it was written (file, 1-based line and column). Findings point at these
/// positions, so every node keeps its own. An alias is the anchored node itself, never a copy: that
/// is what keeps an alias bomb ("billion laughs") from expanding.
/// </summary>
internal abstract class YamlNode(SourceFile file, int line, int column)
{
    /// <summary>The file the node was read from.</summary>
    public SourceFile File { get; } = file;

    /// <summary>1-based line of the node's first character.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; } = column;

    /// <summary>
    /// Index (UTF-16 code units into the file's decoded text) of the node's first character: a scalar's first
    /// character or opening quote, a flow collection's bracket, a block mapping's first key, a block sequence's
    /// first <c>-</c>. <c>lameduck inject</c> edits the text at these positions.
    /// </summary>
    public int Start { get; init; }

    /// <summary>
    /// Index just past the node's content: after a scalar (a block scalar's span includes its trailing line
    /// breaks), after a flow collection's closing bracket, after the last child of a block collection.
    /// </summary>
    public int End { get; set; }

    /// <summary>True when an alias (<c>*name</c>) refers to this node, so it appears in more than one place.</summary>
    public bool IsAliased { get; set; }
}

/// <summary>A scalar: its text as written, after YAML unquoting.</summary>
internal sealed class YamlScalar(SourceFile file, int line, int column, string value, ScalarStyle style)
    : YamlNode(file, line, column)
{
    /// <summary>The scalar's text.</summary>
    public string Value { get; } = value;

    /// <summary>How the scalar was written (plain, quoted, literal block...).</summary>
    public ScalarStyle Style { get; } = style;

    /// <summary>True for an unquoted scalar (so <c>null</c>, <c>~</c> and empty mean null).</summary>
    public bool IsPlain => Style == ScalarStyle.Plain;

    /// <summary>True for YAML's null spellings in plain style.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string ToString() => Value;
}

/// <summary>A sequence of nodes.</summary>
internal sealed class YamlSequence(SourceFile file, int line, int column) : YamlNode(file, line, column)
{
    /// <summary>True for a flow sequence (<c>[a, b]</c>), false for a block one (<c>- a</c> lines).</summary>
    public bool IsFlow { get; init; }

    /// <summary>The items in document order.</summary>
    public List<YamlNode> Items { get; } = [];
}

/// <summary>A mapping; keys keep their own positions because a key's line is often the one to point at.</summary>
internal sealed class YamlMapping(SourceFile file, int line, int column) : YamlNode(file, line, column)
{
    // Kubernetes mappings are small; a linear scan beats hashing until a mapping grows (a big ConfigMap).
    private const int IndexThreshold = 8;
    private readonly List<YamlMappingEntry> _entries = [];
    private Dictionary<string, int>? _index;

    /// <summary>True for a flow mapping (<c>{a: 1}</c>, JSON), false for a block one.</summary>
    public bool IsFlow { get; init; }

    /// <summary>The entries in document order.</summary>
    public IReadOnlyList<YamlMappingEntry> Entries => _entries;

    /// <summary>The entry whose scalar key is <paramref name="key"/>, or null.</summary>
    public YamlMappingEntry? Find(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var i) ? _entries[i] : null;
        foreach (var entry in _entries)
        {
            if (entry.KeyText == key) return entry;
        }
        return null;
    }

    /// <summary>The value under <paramref name="key"/>, or null when absent.</summary>
    public YamlNode? this[string key] => Find(key)?.Value;

    /// <summary>Adds an entry; returns the earlier entry instead when the key is already present.</summary>
    public YamlMappingEntry? TryAdd(YamlMappingEntry entry)
    {
        if (entry.KeyText is { } text)
        {
            if (Find(text) is { } existing) return existing;
            if (_index is not null) _index[text] = _entries.Count;
        }
        _entries.Add(entry);
        if (_index is null && _entries.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < _entries.Count; i++)
            {
                if (_entries[i].KeyText is { } k) _index[k] = i;
            }
        }
        return null;
    }
}

/// <summary>One key/value pair of a mapping.</summary>
internal sealed record YamlMappingEntry(YamlNode Key, YamlNode Value)
{
    /// <summary>The key's text when the key is a scalar (Kubernetes keys always are).</summary>
    public string? KeyText => (Key as YamlScalar)?.Value;
}
