using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lameduck.Cli.Inject.Mutation;

/// <summary>Small, idempotent changes to a <see cref="JsonObject"/> tree: each leaves a value alone when it already holds what is asked.</summary>
internal static class JsonEdits
{
    /// <summary>The object under <paramref name="key"/>, created (or put in place of a null) when missing.</summary>
    public static JsonObject ObjectAt(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    /// <summary>The array under <paramref name="key"/>, created (or put in place of a null) when missing.</summary>
    public static JsonArray ArrayAt(JsonObject parent, string key)
    {
        if (parent[key] is JsonArray existing) return existing;
        var created = new JsonArray();
        parent[key] = created;
        return created;
    }

    /// <summary>The string value of <paramref name="node"/>, or null when it is not a string.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>
    /// Sets environment variable <paramref name="name"/> of <paramref name="container"/> to <paramref name="value"/>:
    /// the last <c>env</c> item whose name <paramref name="sameName"/> accepts keeps its place (its value replaced
    /// unless <paramref name="sameValue"/> says it already means the same; a <c>valueFrom</c> item becomes a
    /// literal one), else an item is appended.
    /// </summary>
    public static void SetEnv(JsonObject container, string name, string value, Func<string, bool> sameName, Func<string, bool> sameValue)
    {
        var env = ArrayAt(container, "env");
        for (int i = env.Count - 1; i >= 0; i--)
        {
            if (env[i] is not JsonObject item || Text(item["name"]) is not { } existingName || !sameName(existingName)) continue;
            if (item.ContainsKey("value") && !item.ContainsKey("valueFrom"))
            {
                if (Text(item["value"]) is not { } current || !sameValue(current)) item["value"] = value;
            }
            else
            {
                env[i] = new JsonObject { ["name"] = existingName, ["value"] = value };
            }
            return;
        }
        env.Add(new JsonObject { ["name"] = name, ["value"] = value });
    }

    /// <summary>Makes <paramref name="key"/> of <paramref name="parent"/> the string array <paramref name="items"/> unless it already is.</summary>
    public static void SetStrings(JsonObject parent, string key, IEnumerable<string> items)
    {
        var wanted = new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);
        if (!JsonNode.DeepEquals(parent[key], wanted)) parent[key] = wanted;
    }

    /// <summary>Sets a scalar unless it already holds <paramref name="value"/>.</summary>
    public static void SetValue(JsonObject parent, string key, JsonNode value)
    {
        if (!JsonNode.DeepEquals(parent[key], value)) parent[key] = value;
    }
}
