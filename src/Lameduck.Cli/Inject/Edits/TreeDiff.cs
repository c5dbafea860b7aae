using System.Text.Json.Nodes;
using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Inject.Edits;

/// <summary>
/// The edits that turn one JSON tree into another, for trees where the second is the first with members added,
/// items appended and values replaced (what a mutation does). Stands in for JsonPatch.Net's
/// <c>JsonDiffPatch</c>-style diff, which does not restore here; unlike a general diff it also says which YAML
/// node each edit lands on (the YAML tree is walked alongside the first JSON tree, which was read from it), so
/// the same edits drive the webhook's JSON Patch and the text <c>lameduck inject</c> writes.
/// </summary>
/// <remarks>
/// Order matters for writing text: inside a collection, edits below existing members come before members
/// added after them, so two insertions at the same place in the text come out in document order.
/// A member that disappeared, or an array that shrank, is a replace of the whole collection: no remove
/// operation is ever produced.
/// </remarks>
internal static class TreeDiff
{
    /// <summary>Edits from <paramref name="before"/> to <paramref name="after"/>, rooted at <paramref name="path"/>.</summary>
    /// <param name="beforeYaml">The YAML node <paramref name="before"/> was read from; null for JSON input (no text to edit).</param>
    public static List<DocumentEdit> Between(JsonNode? before, JsonNode? after, YamlNode? beforeYaml, string path = "")
    {
        var edits = new List<DocumentEdit>();
        Diff(before, after, beforeYaml, null, new Path(null, path, IsIndex: false), beforeYaml?.IsAliased == true, edits);
        return edits;
    }

    // The pointer to the node being compared, as a chain of segments: made into a string only for an edit,
    // not for each of the hundreds of unchanged nodes a pod has (the webhook diffs every pod it mutates).
    private sealed record Path(Path? Parent, string Segment, bool IsIndex)
    {
        public Path Key(string key) => new(this, key, false);

        public Path Index(int index) => new(this, index.ToString(System.Globalization.CultureInfo.InvariantCulture), true);

        public override string ToString()
        {
            var segments = new Stack<Path>();
            for (var p = this; p.Parent is not null; p = p.Parent) segments.Push(p);
            var root = this;
            while (root.Parent is not null) root = root.Parent;
            var text = root.Segment;
            foreach (var s in segments) text = s.IsIndex ? text + "/" + s.Segment : JsonPointer.Append(text, s.Segment);
            return text;
        }
    }

    private static void Diff(JsonNode? before, JsonNode? after, YamlNode? yaml, YamlNode? key, Path path, bool throughAlias, List<DocumentEdit> edits)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a) when b.All(member => a.ContainsKey(member.Key)):
                var mapping = yaml as YamlMapping;
                foreach (var (name, value) in b)
                {
                    var entry = mapping?.Find(name);
                    Diff(value, a[name], entry?.Value, entry?.Key, path.Key(name), throughAlias || entry?.Value.IsAliased == true, edits);
                }
                foreach (var (name, value) in a)
                {
                    if (!b.ContainsKey(name))
                    {
                        edits.Add(new AddMember(path.Key(name).ToString(), mapping, name, value?.DeepClone()) { ThroughAlias = throughAlias });
                    }
                }
                break;
            case (JsonArray b, JsonArray a) when a.Count >= b.Count:
                var sequence = yaml as YamlSequence;
                for (int i = 0; i < b.Count; i++)
                {
                    var item = sequence is not null && i < sequence.Items.Count ? sequence.Items[i] : null;
                    Diff(b[i], a[i], item, null, path.Index(i), throughAlias || item?.IsAliased == true, edits);
                }
                for (int i = b.Count; i < a.Count; i++)
                {
                    edits.Add(new AppendItem(path.ToString() + "/-", sequence, a[i]?.DeepClone()) { ThroughAlias = throughAlias });
                }
                break;
            default:
                if (!JsonNode.DeepEquals(before, after))
                {
                    edits.Add(new ReplaceValue(path.ToString(), yaml, key, after?.DeepClone()) { ThroughAlias = throughAlias });
                }
                break;
        }
    }
}
