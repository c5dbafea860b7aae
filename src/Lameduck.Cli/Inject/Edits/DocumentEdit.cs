using System.Text.Json.Nodes;
using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Inject.Edits;

/// <summary>
/// One change to an object, found by <see cref="TreeDiff"/>: what RFC 6902 calls an <c>add</c> or a
/// <c>replace</c>, with both the JSON Pointer (for the webhook's patch) and the YAML node it happens at (for
/// the text <c>lameduck inject</c> writes). The mutation never removes anything, so there is no remove.
/// </summary>
internal abstract record DocumentEdit(string Path, JsonNode? Value)
{
    /// <summary>
    /// True when the edit lands in or below a node that an alias refers to: changing that text would change every
    /// place the alias appears, so the writer re-emits the object instead.
    /// </summary>
    public bool ThroughAlias { get; init; }

    /// <summary>The RFC 6902 operation: <c>add</c> or <c>replace</c>.</summary>
    public abstract string Operation { get; }
}

/// <summary>A new member <paramref name="Key"/> of the mapping at <paramref name="Parent"/>.</summary>
internal sealed record AddMember(string Path, YamlMapping? Parent, string Key, JsonNode? Value) : DocumentEdit(Path, Value)
{
    public override string Operation => "add";
}

/// <summary>A new last item of the sequence at <paramref name="Parent"/> (<c>Path</c> ends in <c>/-</c>).</summary>
internal sealed record AppendItem(string Path, YamlSequence? Parent, JsonNode? Value) : DocumentEdit(Path, Value)
{
    public override string Operation => "add";
}

/// <summary><paramref name="Node"/> (a scalar or a whole collection) replaced by <c>Value</c>.</summary>
/// <param name="Key">The mapping key whose value <paramref name="Node"/> is, when it is one (an empty value has no place of its own).</param>
internal sealed record ReplaceValue(string Path, YamlNode? Node, YamlNode? Key, JsonNode? Value) : DocumentEdit(Path, Value)
{
    public override string Operation => "replace";
}
