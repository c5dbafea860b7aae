using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lameduck.Cli.Inject.Rendering;

/// <summary>How the text around an edit is written, so new lines look like their neighbours.</summary>
/// <param name="Step">Spaces per nesting level.</param>
/// <param name="IndentlessSequences">True when a sequence's dashes sit at its key's column (<c>containers:\n- name: a</c>).</param>
/// <param name="Newline">The file's line break (<c>\n</c> or <c>\r\n</c>).</param>
/// <param name="JsonStyle">True inside JSON text: keys and strings always double-quoted.</param>
internal sealed record TextStyle(int Step, bool IndentlessSequences, string Newline, bool JsonStyle)
{
    public static readonly TextStyle Default = new(2, false, "\n", false);
}

/// <summary>
/// Writes <see cref="JsonNode"/> values as YAML, block or flow. Strings are written plain only when every
/// YAML 1.1 and 1.2 reader (PyYAML, go-yaml, YamlDotNet) reads them back as the same string; anything that
/// could turn into a number, a boolean, a null or a sexagesimal (<c>00:00:30</c>) is double-quoted.
/// </summary>
internal static class YamlEmitter
{
    private static readonly HashSet<string> SpecialWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    };

    /// <summary>A scalar or a one-line flow collection.</summary>
    public static string Flow(JsonNode? value, TextStyle style, bool spaceInBraces = false)
    {
        var sb = new StringBuilder();
        WriteFlow(value, style, spaceInBraces, sb);
        return sb.ToString();
    }

    /// <summary>A scalar: <c>null</c>, <c>true</c>, <c>30</c>, <c>nginx</c>, <c>"30s"</c>.</summary>
    public static string Scalar(JsonNode? value, TextStyle style) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Text(v.GetValue<string>(), style),
        JsonValue v when v.GetValueKind() is JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() is JsonValueKind.False => "false",
        JsonValue v => v.ToJsonString(),
        _ => Flow(value, style),
    };

    /// <summary>A string, plain when that reads back the same everywhere, else double-quoted.</summary>
    public static string Text(string text, TextStyle style) => !style.JsonStyle && IsPlainSafe(text) ? text : DoubleQuoted(text);

    /// <summary>A string in single quotes (a quote is doubled), for replacing a value written that way.</summary>
    public static string SingleQuoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A double-quoted string with JSON's escapes, which YAML's double-quoted style shares.</summary>
    public static string DoubleQuoted(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>True for strings such as <c>nginx</c>, <c>/lameduck/lameduck-init</c>, <c>lameduck.dev/status</c>.</summary>
    public static bool IsPlainSafe(string text)
    {
        if (text.Length == 0 || SpecialWords.Contains(text)) return false;
        if (!(char.IsAsciiLetter(text[0]) || text[0] is '_' or '/')) return false;
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-')) return false;
        }
        return true;
    }

    /// <summary>
    /// A member <c>key: value</c> as block lines at <paramref name="column"/> (0-based), each ending with the newline.
    /// Collections nest below the key; empty ones are written <c>{}</c> / <c>[]</c>.
    /// </summary>
    public static void Member(string key, JsonNode? value, int column, TextStyle style, StringBuilder sb)
    {
        Pad(sb, column).Append(Text(key, style)).Append(':');
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                sb.Append(style.Newline);
                foreach (var (k, v) in obj) Member(k, v, column + style.Step, style, sb);
                break;
            case JsonArray array when array.Count > 0 && ShortScalars(array) is { } flow:
                sb.Append(' ').Append(flow).Append(style.Newline);
                break;
            case JsonArray array when array.Count > 0:
                sb.Append(style.Newline);
                var dash = style.IndentlessSequences ? column : column + style.Step;
                foreach (var item in array) Item(item, dash, dash + 2, style, sb, flowItems: false);
                break;
            default:
                sb.Append(' ').Append(Flow(value, style)).Append(style.Newline);
                break;
        }
    }

    // A short list of scalars reads best on one line, the way manifests write commands: ["nginx", "-g", "daemon off;"].
    private static string? ShortScalars(JsonArray array)
    {
        if (array.Any(i => i is JsonObject or JsonArray)) return null;
        var text = "[" + string.Join(", ", array.Select(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String ? DoubleQuoted(v.GetValue<string>()) : Scalar(i, TextStyle.Default))) + "]";
        return text.Length <= 80 ? text : null;
    }

    /// <summary>
    /// A sequence item as block lines: <c>- </c> at <paramref name="dashColumn"/>, the item's members (after the
    /// first, which shares the dash's line) at <paramref name="contentColumn"/>. With <paramref name="flowItems"/> a
    /// mapping item is written on one line, <c>- { name: A, value: "b" }</c>, like its neighbours.
    /// </summary>
    public static void Item(JsonNode? value, int dashColumn, int contentColumn, TextStyle style, StringBuilder sb, bool flowItems, bool spaceInBraces = false)
    {
        if (value is JsonObject obj && obj.Count > 0 && !flowItems)
        {
            var inner = new StringBuilder();
            foreach (var (k, v) in obj) Member(k, v, contentColumn, style, inner);
            // The first member goes on the dash's line.
            Pad(sb, dashColumn).Append('-').Append(' ', Math.Max(1, contentColumn - dashColumn - 1));
            sb.Append(inner.ToString(contentColumn, inner.Length - contentColumn));
            return;
        }
        Pad(sb, dashColumn).Append("- ").Append(Flow(value, style, spaceInBraces)).Append(style.Newline);
    }

    /// <summary>
    /// A whole value in block style at <paramref name="column"/>, for replacing a block collection in place: the
    /// first line has no indentation (the text before the replaced node already has it).
    /// </summary>
    public static string BlockValue(JsonNode? value, int column, TextStyle style)
    {
        var sb = new StringBuilder();
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (k, v) in obj) Member(k, v, column, style, sb);
                break;
            case JsonArray array when array.Count > 0:
                foreach (var item in array) Item(item, column, column + 2, style, sb, flowItems: false);
                break;
            default:
                return Flow(value, style);
        }
        // No indentation before the first line, no line break after the last: the replaced span had neither.
        var text = sb.ToString(column, sb.Length - column);
        return text.EndsWith(style.Newline, StringComparison.Ordinal) ? text[..^style.Newline.Length] : text;
    }

    private static void WriteFlow(JsonNode? value, TextStyle style, bool spaceInBraces, StringBuilder sb)
    {
        switch (value)
        {
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }
                sb.Append(spaceInBraces ? "{ " : "{");
                bool first = true;
                foreach (var (k, v) in obj)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(Text(k, style)).Append(": ");
                    WriteFlow(v, style, spaceInBraces, sb);
                }
                sb.Append(spaceInBraces ? " }" : "}");
                break;
            case JsonArray array:
                sb.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    WriteFlow(array[i], style, spaceInBraces, sb);
                }
                sb.Append(']');
                break;
            default:
                sb.Append(Scalar(value, style));
                break;
        }
    }

    private static StringBuilder Pad(StringBuilder sb, int column) => sb.Append(' ', column);
}
