using System.Text.Json;
using Lameduck.Cli.Inject.Edits;

namespace Lameduck.Cli.Inject.Rendering;

/// <summary>
/// Writes edits as an RFC 6902 JSON Patch, what a mutating admission webhook answers with:
/// <c>[{"op":"add","path":"/spec/containers/0/env/-","value":{...}}, ...]</c>. Applied in order to the object the
/// edits were found on, it gives what <c>lameduck inject</c> writes for that object.
/// </summary>
internal static class JsonPatchWriter
{
    /// <summary>Writes <paramref name="edits"/> as a JSON array to <paramref name="writer"/>.</summary>
    public static void Write(IReadOnlyList<DocumentEdit> edits, Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var edit in edits)
        {
            writer.WriteStartObject();
            writer.WriteString("op", edit.Operation);
            writer.WriteString("path", edit.Path);
            writer.WritePropertyName("value");
            if (edit.Value is null) writer.WriteNullValue();
            else edit.Value.WriteTo(writer);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>The patch as UTF-8 bytes.</summary>
    public static byte[] ToBytes(IReadOnlyList<DocumentEdit> edits)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) Write(edits, writer);
        return buffer.WrittenSpan.ToArray();
    }
}
