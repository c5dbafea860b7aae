using System.Globalization;
using Lameduck.Cli.Verify.Events;

namespace Lameduck.Cli.Verify.Results;

/// <summary>
/// Reads a results file written by <see cref="ResultsCsvWriter"/> row by row (constant memory), handing each
/// request to a callback, and returns the run's metadata and events.
/// </summary>
/// <example>
/// <code>
/// var metrics = new MetricsAccumulator();
/// var file = ResultsCsvReader.Read("results.csv", (in RequestResult r) => metrics.Add(r));
/// var summary = metrics.Summarize(file.Run.AttackDurationUs);
/// </code>
/// </example>
public static class ResultsCsvReader
{
    /// <summary>Receives one request record.</summary>
    public delegate void RequestHandler(in RequestResult result);

    /// <summary>What a results file holds besides its request rows.</summary>
    public sealed record Contents(RunInfo Run, IReadOnlyList<RunEvent> Events);

    /// <summary>Reads <paramref name="path"/>; throws <see cref="ResultsFormatException"/> naming the line of any problem.</summary>
    public static Contents Read(string path, RequestHandler onRequest)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path, onRequest);
    }

    /// <summary>Reads from <paramref name="reader"/>; <paramref name="name"/> is used in error messages.</summary>
    public static Contents Read(TextReader reader, string name, RequestHandler onRequest)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var events = new List<RunEvent>();
        var fields = new List<string>(ResultsCsv.ColumnCount);
        int lineNumber = 1;
        var header = reader.ReadLine();
        if (header != ResultsCsv.Header)
            throw new ResultsFormatException(name, 1, $"not a lameduck verify results file (expected the header '{ResultsCsv.Header}')");

        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (line.StartsWith("req,", StringComparison.Ordinal))
            {
                onRequest(ParseRequest(line, name, lineNumber));
                continue;
            }
            Split(line, fields, name, lineNumber);
            switch (fields[0])
            {
                case "meta":
                    var eq = fields[9].IndexOf('=');
                    if (eq <= 0) throw new ResultsFormatException(name, lineNumber, $"meta row without key=value: '{fields[9]}'");
                    meta[fields[9][..eq]] = fields[9][(eq + 1)..];
                    break;
                case "event":
                    events.Add(new RunEvent(Long(fields[2], "scheduled_us", name, lineNumber), fields[9], fields[10].Length == 0 ? null : fields[10]));
                    break;
                default:
                    throw new ResultsFormatException(name, lineNumber, $"unknown row kind '{fields[0]}' (expected req, event or meta)");
            }
        }

        if (meta.GetValueOrDefault(ResultsCsv.Keys.Format) != ResultsCsv.Format)
            throw new ResultsFormatException(name, 2, $"missing or unsupported format (expected meta row format={ResultsCsv.Format})");
        var targetDurationUs = MetaLong(meta, ResultsCsv.Keys.TargetDurationUs, name);
        var run = new RunInfo
        {
            Target = meta.GetValueOrDefault(ResultsCsv.Keys.Target) ?? throw Missing(name, ResultsCsv.Keys.Target),
            Method = meta.GetValueOrDefault(ResultsCsv.Keys.Method) ?? "GET",
            TargetRate = double.Parse(meta.GetValueOrDefault(ResultsCsv.Keys.TargetRate) ?? throw Missing(name, ResultsCsv.Keys.TargetRate), CultureInfo.InvariantCulture),
            TargetDuration = TimeSpan.FromMicroseconds(targetDurationUs),
            StartedUtc = DateTimeOffset.Parse(meta.GetValueOrDefault(ResultsCsv.Keys.StartedUtc) ?? throw Missing(name, ResultsCsv.Keys.StartedUtc), CultureInfo.InvariantCulture),
            // A file cut short (the process was killed) has no end rows: the attack lasted at most the target.
            AttackDurationUs = meta.ContainsKey(ResultsCsv.Keys.AttackDurationUs) ? MetaLong(meta, ResultsCsv.Keys.AttackDurationUs, name) : targetDurationUs,
            Interrupted = !meta.TryGetValue(ResultsCsv.Keys.Interrupted, out var interrupted) || interrupted == "true",
        };
        return new Contents(run, events);
    }

    private static RequestResult ParseRequest(string line, string name, int lineNumber)
    {
        // Request rows never need quoting: parse them without allocating field strings.
        var rest = line.AsSpan(4);
        Span<Range> parts = stackalloc Range[ResultsCsv.ColumnCount];
        if (rest.Split(parts, ',') != ResultsCsv.ColumnCount - 1)
            throw new ResultsFormatException(name, lineNumber, $"expected {ResultsCsv.ColumnCount} columns");
        var error = ErrorClass.None;
        var errorText = rest[parts[5]];
        if (!ErrorClassNames.TryParse(errorText, out error))
            throw new ResultsFormatException(name, lineNumber, $"unknown error class '{errorText}'");
        var sent = rest[parts[2]];
        return new RequestResult(
            Seq: Long(rest[parts[0]], "seq", name, lineNumber),
            ScheduledUs: Long(rest[parts[1]], "scheduled_us", name, lineNumber),
            SentUs: sent.IsEmpty ? -1 : Long(sent, "sent_us", name, lineNumber),
            EndUs: sent.IsEmpty ? -1 : Long(rest[parts[3]], "end_us", name, lineNumber),
            Status: (int)Long(rest[parts[4]], "status", name, lineNumber),
            Error: error,
            Retries: rest[parts[6]].IsEmpty ? -1 : (int)Long(rest[parts[6]], "retries", name, lineNumber),
            BytesIn: Long(rest[parts[7]], "bytes_in", name, lineNumber));
    }

    private static long Long(ReadOnlySpan<char> text, string column, string name, int lineNumber) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ResultsFormatException(name, lineNumber, $"{column} is not an integer: '{text}'");

    private static long MetaLong(Dictionary<string, string> meta, string key, string name) =>
        long.TryParse(meta.GetValueOrDefault(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Missing(name, key);

    private static ResultsFormatException Missing(string name, string key) =>
        new(name, 2, $"missing or invalid meta row '{key}=...'");

    /// <summary>Splits an RFC 4180 line (quotes, doubled quotes) into exactly <see cref="ResultsCsv.ColumnCount"/> fields.</summary>
    private static void Split(string line, List<string> fields, string name, int lineNumber)
    {
        fields.Clear();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) throw new ResultsFormatException(name, lineNumber, "unterminated quote");
        fields.Add(field.ToString());
        if (fields.Count != ResultsCsv.ColumnCount)
            throw new ResultsFormatException(name, lineNumber, $"expected {ResultsCsv.ColumnCount} columns, found {fields.Count}");
    }
}
