using System.Text;

namespace Lameduck.Cli.Inject.Output;

/// <summary>Writes a changed file's text in the encoding it was read in (UTF-8 with or without its BOM, or UTF-16).</summary>
internal static class OutputEncoding
{
    /// <summary>The bytes of <paramref name="text"/>, encoded like <paramref name="original"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> original, string text)
    {
        Encoding encoding;
        if (original.Length >= 2 && original[0] == 0xFF && original[1] == 0xFE) encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        else if (original.Length >= 2 && original[0] == 0xFE && original[1] == 0xFF) encoding = new UnicodeEncoding(bigEndian: true, byteOrderMark: true);
        else if (original.Length >= 3 && original[0] == 0xEF && original[1] == 0xBB && original[2] == 0xBF) encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        else encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var preamble = encoding.GetPreamble();
        var bytes = new byte[preamble.Length + encoding.GetByteCount(text)];
        preamble.CopyTo(bytes, 0);
        encoding.GetBytes(text, 0, text.Length, bytes, preamble.Length);
        return bytes;
    }
}
