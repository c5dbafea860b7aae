using System.Text;

namespace Lameduck.Cli.Lint.Input;

/// <summary>Turns a file's bytes into text, refusing binary data with the line where it starts.</summary>
internal static class TextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Le = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Be = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 (with or without BOM) or BOM-marked UTF-16, the encodings YAML allows.</summary>
    /// <exception cref="LintInputException">The bytes are not text in one of those encodings.</exception>
    public static string Decode(SourceFile file, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) return DecodeWith(StrictUtf16Le, file, bytes[2..], "UTF-16");
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return DecodeWith(StrictUtf16Be, file, bytes[2..], "UTF-16");
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) bytes = bytes[3..];

        int nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new LintInputException(file.DisplayPath, LineAt(bytes, nul),
                "binary data (a NUL byte), not a YAML or JSON manifest");
        }
        return DecodeWith(StrictUtf8, file, bytes, "UTF-8");
    }

    private static string DecodeWith(Encoding encoding, SourceFile file, ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            int line = e.Index >= 0 && e.Index <= bytes.Length ? LineAt(bytes, e.Index) : 1;
            throw new LintInputException(file.DisplayPath, line, $"not {name} text (binary data?), so not a YAML or JSON manifest");
        }
    }

    private static int LineAt(ReadOnlySpan<byte> bytes, int index) => bytes[..index].Count((byte)'\n') + 1;
}
