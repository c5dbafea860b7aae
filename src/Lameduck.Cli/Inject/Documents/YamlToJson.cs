using System.Globalization;
using System.Text.Json.Nodes;
using Lameduck.Cli.Lint.Input;
using YamlDotNet.Core;

namespace Lameduck.Cli.Inject.Documents;

/// <summary>
/// Turns a YAML tree (as lint reads it, with positions) into a <see cref="JsonNode"/> tree the mutation can
/// change freely. The edits <see cref="Edits.TreeDiff"/> then finds are written back at the YAML nodes' places
/// in the original text.
/// </summary>
internal static class YamlToJson
{
    /// <summary>Converts <paramref name="root"/>.</summary>
    /// <remarks>
    /// An alias becomes a copy here (a JSON node has one parent) of the one YAML node, whose
    /// <see cref="YamlNode.IsAliased"/> tells the writer that an edit there would change every place it appears.
    /// Plain scalars are typed as YAML 1.2's core schema reads them (null, booleans, integers, floats); quoted and
    /// block scalars are strings. Kubernetes reads a few more spellings (yes/no) as booleans; the mutation only
    /// ever compares what it writes itself, so the difference never shows in an edit.
    /// </remarks>
    public static JsonNode? Convert(YamlNode root)
    {
        // Explicit stack: a manifest may nest up to InputLimits.MaxDepth levels.
        var result = Create(root);
        var pending = new Stack<(YamlNode Yaml, JsonNode Json)>();
        if (result is not null and not JsonValue) pending.Push((root, result));
        while (pending.Count > 0)
        {
            var (yaml, json) = pending.Pop();
            switch (yaml)
            {
                case YamlMapping mapping:
                    var obj = (JsonObject)json;
                    foreach (var entry in mapping.Entries)
                    {
                        var key = entry.KeyText ?? (entry.Key as YamlScalar)?.Value ?? "";
                        var child = Create(entry.Value);
                        obj[key] = child;
                        if (child is JsonObject or JsonArray) pending.Push((entry.Value, child));
                    }
                    break;
                case YamlSequence sequence:
                    var array = (JsonArray)json;
                    foreach (var item in sequence.Items)
                    {
                        var child = Create(item);
                        array.Add(child);
                        if (child is JsonObject or JsonArray) pending.Push((item, child));
                    }
                    break;
            }
        }
        return result;
    }

    private static JsonNode? Create(YamlNode yaml)
    {
        return yaml switch
        {
            YamlMapping => new JsonObject(),
            YamlSequence => new JsonArray(),
            YamlScalar scalar => ScalarValue(scalar),
            _ => null,
        };
    }

    /// <summary>A scalar's JSON value; null for YAML's null spellings.</summary>
    public static JsonValue? ScalarValue(YamlScalar scalar)
    {
        if (scalar.Style != ScalarStyle.Plain) return JsonValue.Create(scalar.Value);
        var text = scalar.Value;
        if (scalar.IsNull) return null;
        switch (text)
        {
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(text);
    }

    // YAML 1.2 core floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? ; .NET would also accept "1,000" or " 5".
    private static bool LooksLikeFloat(string text)
    {
        if (text.Length == 0) return false;
        int i = text[0] is '+' or '-' ? 1 : 0;
        bool digits = false, dot = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c)) digits = true;
            else if (c == '.' && !dot) dot = true;
            else if (c is 'e' or 'E' && digits) return ExponentFollows(text, i + 1);
            else return false;
        }
        return digits;
    }

    private static bool ExponentFollows(string text, int i)
    {
        if (i < text.Length && text[i] is '+' or '-') i++;
        if (i >= text.Length) return false;
        for (; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) return false;
        }
        return true;
    }
}
