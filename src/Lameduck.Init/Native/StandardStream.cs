using System.Text;

namespace Lameduck.Init.Native;

/// <summary>
/// Writes text straight to file descriptor 1 or 2 with write(2). System.Console would do, but it brings
/// terminal handling and encoders that cost resident memory in a process meant to stay under 4 MB.
/// </summary>
internal sealed class StandardStream(int fd)
{
    public static readonly StandardStream Out = new(1);
    public static readonly StandardStream Error = new(2);

    /// <summary>Writes <paramref name="line"/> and a newline in one write call, so lines from several writers do not interleave.</summary>
    public unsafe void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        fixed (byte* p = bytes)
        {
            int offset = 0;
            while (offset < bytes.Length)
            {
                nint written = Libc.write(fd, p + offset, bytes.Length - offset);
                if (written <= 0) return; // stderr closed: nothing better to do than carry on supervising
                offset += (int)written;
            }
        }
    }
}
