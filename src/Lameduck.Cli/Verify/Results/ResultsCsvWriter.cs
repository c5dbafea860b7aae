using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Lameduck.Cli.Verify.Events;

namespace Lameduck.Cli.Verify.Results;

/// <summary>
/// Streams request records to a results file (format in <see cref="ResultsCsv"/>) as they complete, so a
/// long run never holds its rows in memory. Single writer; formats numbers into a reused buffer (no
/// allocation per row).
/// </summary>
public sealed class ResultsCsvWriter : IAsyncDisposable, IDisposable
{
    private readonly StreamWriter _out;
    private readonly char[] _line = new char[256];

    /// <summary>Creates (or overwrites) <paramref name="path"/> and writes the header and start metadata.</summary>
    public ResultsCsvWriter(string path, RunInfo run)
        : this(Open(path), run)
    {
    }

    /// <summary>Opens <paramref name="path"/> for a results file (throws IOException/UnauthorizedAccessException at once when it cannot).</summary>
    public static StreamWriter Open(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), new UTF8Encoding(false), 1 << 16);

    /// <summary>Writes to <paramref name="output"/> (owned and disposed by this writer).</summary>
    public ResultsCsvWriter(StreamWriter output, RunInfo run)
    {
        _out = output;
        _out.NewLine = "\n";
        _out.WriteLine(ResultsCsv.Header);
        WriteMeta(ResultsCsv.Keys.Format, ResultsCsv.Format);
        WriteMeta(ResultsCsv.Keys.Target, run.Target);
        WriteMeta(ResultsCsv.Keys.Method, run.Method);
        WriteMeta(ResultsCsv.Keys.TargetRate, run.TargetRate.ToString("R", CultureInfo.InvariantCulture));
        WriteMeta(ResultsCsv.Keys.TargetDurationUs, ((long)run.TargetDuration.TotalMicroseconds).ToString(CultureInfo.InvariantCulture));
        WriteMeta(ResultsCsv.Keys.StartedUtc, run.StartedUtc.ToString("O", CultureInfo.InvariantCulture));
    }

    /// <summary>Appends one request row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(in RequestResult r)
    {
        var span = _line.AsSpan();
        int n = 0;
        Append(span, ref n, "req,");
        AppendNumber(span, ref n, r.Seq); span[n++] = ',';
        AppendNumber(span, ref n, r.ScheduledUs); span[n++] = ',';
        if (r.WasSent)
        {
            AppendNumber(span, ref n, r.SentUs); span[n++] = ',';
            AppendNumber(span, ref n, r.EndUs); span[n++] = ',';
        }
        else Append(span, ref n, ",,");
        AppendNumber(span, ref n, r.Status); span[n++] = ',';
        Append(span, ref n, ErrorClassNames.Name(r.Error)); span[n++] = ',';
        if (r.WasSent && r.Retries >= 0) AppendNumber(span, ref n, r.Retries);
        span[n++] = ',';
        AppendNumber(span, ref n, r.BytesIn);
        Append(span, ref n, ",,");
        _out.WriteLine(span[..n]);
    }

    /// <summary>Appends the timeline events (written at the end: they are few, and callers may add them late).</summary>
    public void WriteEvents(IEnumerable<RunEvent> events)
    {
        foreach (var e in events)
        {
            _out.Write("event,,");
            _out.Write(e.AtUs.ToString(CultureInfo.InvariantCulture));
            _out.Write(",,,,,,,");
            _out.Write(Quote(e.Name));
            _out.Write(',');
            _out.WriteLine(Quote(e.Detail ?? ""));
        }
    }

    /// <summary>Appends the end metadata: how long the attack ran and whether it was interrupted.</summary>
    public void WriteEnd(long attackDurationUs, bool interrupted)
    {
        WriteMeta(ResultsCsv.Keys.AttackDurationUs, attackDurationUs.ToString(CultureInfo.InvariantCulture));
        WriteMeta(ResultsCsv.Keys.Interrupted, interrupted ? "true" : "false");
    }

    /// <summary>Pushes buffered rows to the file.</summary>
    public void Flush() => _out.Flush();

    /// <inheritdoc />
    public void Dispose() => _out.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _out.DisposeAsync();

    private void WriteMeta(string key, string value)
    {
        _out.Write("meta,,,,,,,,,");
        _out.Write(Quote(key + "=" + value));
        _out.WriteLine(',');
    }

    /// <summary>RFC 4180 quoting; line breaks become spaces so one row stays one line.</summary>
    internal static string Quote(string text)
    {
        text = text.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
        return text.AsSpan().IndexOfAny(",\"") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
    }

    private static void Append(Span<char> span, ref int n, string text)
    {
        text.CopyTo(span[n..]);
        n += text.Length;
    }

    private static void AppendNumber(Span<char> span, ref int n, long value)
    {
        value.TryFormat(span[n..], out var written, default, CultureInfo.InvariantCulture);
        n += written;
    }
}
