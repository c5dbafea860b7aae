using System.Text.Json;
using System.Text.Json.Nodes;
using Lameduck.Cli.Lint.Input;
using YamlDotNet.Core;

namespace Lameduck.Cli.Inject.Documents;

/// <summary>
/// Builds lint's YAML tree from a JSON object (an admission request's pod), so the webhook reads containers,
/// images, hooks and variables with the very model lint and <c>lameduck inject</c> use. Positions are those of
/// no file: the webhook answers with a JSON Patch, not with edited text.
/// </summary>
internal static class JsonToYaml
{
    /// <summary>The YAML tree of <paramref name="json"/>, read as from <paramref name="file"/>.</summary>
    public static YamlNode Convert(JsonNode? json, SourceFile file)
    {
        var root = Create(json, file);
        var pending = new Stack<(JsonNode Json, YamlNode Yaml)>();
        if (json is JsonObject or JsonArray) pending.Push((json, root));
        while (pending.Count > 0)
        {
            var (node, yaml) = pending.Pop();
            if (node is JsonObject obj)
            {
                var mapping = (YamlMapping)yaml;
                foreach (var (key, value) in obj)
                {
                    var child = Create(value, file);
                    mapping.TryAdd(new YamlMappingEntry(new YamlScalar(file, 0, 0, key, ScalarStyle.DoubleQuoted), child));
                    if (value is JsonObject or JsonArray) pending.Push((value, child));
                }
            }
            else if (node is JsonArray array)
            {
                var sequence = (YamlSequence)yaml;
                foreach (var value in array)
                {
                    var child = Create(value, file);
                    sequence.Items.Add(child);
                    if (value is JsonObject or JsonArray) pending.Push((value!, child));
                }
            }
        }
        return root;
    }

    private static YamlNode Create(JsonNode? json, SourceFile file) => json switch
    {
        JsonObject => new YamlMapping(file, 0, 0) { IsFlow = true },
        JsonArray => new YamlSequence(file, 0, 0) { IsFlow = true },
        null => new YamlScalar(file, 0, 0, "null", ScalarStyle.Plain),
        JsonValue value => Scalar(value, file),
        _ => new YamlScalar(file, 0, 0, json.ToJsonString(), ScalarStyle.Plain),
    };

    // The webhook reads every scalar of a pod on every admission: no JSON writer per number (ToJsonString).
    private static YamlScalar Scalar(JsonValue value, SourceFile file) => value.GetValueKind() switch
    {
        JsonValueKind.String => new YamlScalar(file, 0, 0, value.GetValue<string>(), ScalarStyle.DoubleQuoted),
        JsonValueKind.True => new YamlScalar(file, 0, 0, "true", ScalarStyle.Plain),
        JsonValueKind.False => new YamlScalar(file, 0, 0, "false", ScalarStyle.Plain),
        JsonValueKind.Null => new YamlScalar(file, 0, 0, "null", ScalarStyle.Plain),
        _ when value.TryGetValue(out JsonElement element) => new YamlScalar(file, 0, 0, element.GetRawText(), ScalarStyle.Plain),
        _ => new YamlScalar(file, 0, 0, value.ToJsonString(), ScalarStyle.Plain),
    };
}
