using Lameduck.Cli.Verify.Events;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Tests.Verify.Results;

public class ResultsCsvTests
{
    private static readonly RunInfo Run = new()
    {
        Target = "http://127.0.0.1:8080/a,b?q=\"x\"",
        Method = "POST",
        TargetRate = 333.5,
        TargetDuration = TimeSpan.FromSeconds(12.5),
        StartedUtc = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Every_field_of_every_row_kind_reads_back_as_written()
    {
        RequestResult[] requests =
        [
            new(0, 0, 41, 533, 200, ErrorClass.None, 0, 12),
            new(1, 3000, 3001, 9000, 503, ErrorClass.None, 1, 0),
            new(2, 6000, -1, -1, 0, ErrorClass.Saturated, -1, 0),
            new(3, 9000, 9002, 5_009_002, 0, ErrorClass.Timeout, 0, 0),
            new(4, 12000, 12001, 12500, 0, ErrorClass.ConnectionRefused, -1, 0),
            new(5, 15000, 15001, 15500, 0, ErrorClass.ConnectionReset, 2, 7),
            new(6, 18000, 18001, 18500, 0, ErrorClass.Other, 0, 0),
        ];
        RunEvent[] events = [new(1_000_000, "during: start", "kubectl rollout restart deploy/web, \"quoted\""), new(2_000_000, "SIGTERM sent")];

        var text = new StringWriter();
        using (var writer = new ResultsCsvWriter(new StreamWriter(new StringWriterStream(text)), Run))
        {
            foreach (var r in requests) writer.Write(r);
            writer.WriteEvents(events);
            writer.WriteEnd(11_000_000, interrupted: true);
        }

        var read = new List<RequestResult>();
        var contents = ResultsCsvReader.Read(new StringReader(text.ToString()), "mem.csv", (in RequestResult r) => read.Add(r));
        Assert.Equal(requests, read);
        Assert.Equal(events, contents.Events);
        Assert.Equal(Run with { AttackDurationUs = 11_000_000, Interrupted = true }, contents.Run);
    }

    [Theory]
    [InlineData("kind,seq\n", 1, "not a lameduck verify results file")]
    [InlineData(ResultsCsvHeader + "\nreq,0,0,1,2,200,,0\n", 2, "expected 11 columns")]
    [InlineData(ResultsCsvHeader + "\nreq,x,0,1,2,200,,0,12,,\n", 2, "seq is not an integer: 'x'")]
    [InlineData(ResultsCsvHeader + "\nmeta,,,,,,,,,format=lameduck-verify-results/1,\nreq,0,0,1,2,0,boom,0,12,,\n", 3, "unknown error class 'boom'")]
    [InlineData(ResultsCsvHeader + "\nmeta,,,,,,,,,format=lameduck-verify-results/1,\nwhat,,,,,,,,,,\n", 3, "unknown row kind 'what'")]
    [InlineData(ResultsCsvHeader + "\nevent,,1,,,,,,,\"open,\n", 2, "unterminated quote")]
    public void Malformed_files_are_rejected_naming_the_line(string content, int line, string problem)
    {
        var e = Assert.Throws<ResultsFormatException>(() => ResultsCsvReader.Read(new StringReader(content), "bad.csv", (in RequestResult _) => { }));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith($"bad.csv:{line}: ", e.Message);
    }

    [Fact]
    public void A_file_cut_short_by_a_kill_still_reads_and_counts_as_interrupted()
    {
        var text = new StringWriter();
        using (var writer = new ResultsCsvWriter(new StreamWriter(new StringWriterStream(text)), Run))
            writer.Write(new RequestResult(0, 0, 1, 2, 200, ErrorClass.None, 0, 12));
        int count = 0;
        var contents = ResultsCsvReader.Read(new StringReader(text.ToString()), "cut.csv", (in RequestResult _) => count++);
        Assert.Equal(1, count);
        Assert.True(contents.Run.Interrupted);
        Assert.Equal((long)Run.TargetDuration.TotalMicroseconds, contents.Run.AttackDurationUs);
    }

    private const string ResultsCsvHeader = "kind,seq,scheduled_us,sent_us,end_us,status,error,retries,bytes_in,note,detail";

    /// <summary>Lets a StreamWriter write into a StringWriter (UTF-8 bytes back to text).</summary>
    private sealed class StringWriterStream(StringWriter target) : Stream
    {
        private readonly System.Text.Decoder _decoder = System.Text.Encoding.UTF8.GetDecoder();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            var chars = new char[_decoder.GetCharCount(buffer, offset, count)];
            _decoder.GetChars(buffer, offset, count, chars, 0);
            target.Write(chars);
        }
    }
}
