using System.Globalization;

namespace Lameduck.Cli.Lint.Input;

/// <summary>Null-tolerant navigation: a missing or mistyped field reads as absent, never throws.</summary>
internal static class YamlNodeNavigation
{
    /// <summary>The node as a mapping, or null.</summary>
    public static YamlMapping? AsMapping(this YamlNode? node) => node as YamlMapping;

    /// <summary>The node as a sequence's items, or an empty list.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode? node) => node is YamlSequence s ? s.Items : [];

    /// <summary>The value at a path of keys, or null.</summary>
    public static YamlNode? At(this YamlNode? node, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            node = (node as YamlMapping)?[key];
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>The mapping at a path of keys, or null.</summary>
    public static YamlMapping? MappingAt(this YamlNode? node, params ReadOnlySpan<string> keys) => node.At(keys) as YamlMapping;

    /// <summary>The non-null scalar at a path of keys, or null.</summary>
    public static YamlScalar? ScalarAt(this YamlNode? node, params ReadOnlySpan<string> keys) =>
        node.At(keys) is YamlScalar { IsNull: false } s ? s : null;

    /// <summary>The text at a path of keys, or null.</summary>
    public static string? TextAt(this YamlNode? node, params ReadOnlySpan<string> keys) => node.ScalarAt(keys)?.Value;

    /// <summary>The key node of the last key of a path (the line a user edits), or null.</summary>
    public static YamlNode? KeyAt(this YamlNode? node, params ReadOnlySpan<string> keys)
    {
        if (keys.IsEmpty) return null;
        return node.MappingAt(keys[..^1])?.Find(keys[^1])?.Key;
    }

    /// <summary>The scalar as a whole number, or null when it is not one.</summary>
    public static long? AsInteger(this YamlScalar? scalar) =>
        scalar is not null && long.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
