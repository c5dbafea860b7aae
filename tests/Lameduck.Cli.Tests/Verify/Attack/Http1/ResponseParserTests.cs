using System.Text;
using Lameduck.Cli.Verify.Attack.Http1;

namespace Lameduck.Cli.Tests.Verify.Attack.Http1;

/// <summary>The HTTP/1.1 engine's response parser, fed whole responses and the same bytes split at every boundary.</summary>
public class ResponseParserTests
{
    private const string ContentLength = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\nhello world\n";
    private const string Chunked =
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "5;name=value;quoted=\"a;b\"\r\nhello\r\n" +
        "1\r\n \r\n" +
        "A\r\n0123456789\r\n" +
        "0;last\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n";

    public static TheoryData<string, int, long, bool> Complete => new()
    {
        { ContentLength, 200, 12, true },
        { Chunked, 201, 16, true },
        { "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", 204, 0, true },
        { "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", 304, 0, true },
        { "HTTP/1.1 503 Unavailable\r\ncontent-length:  3 \r\nCONNECTION: Close\r\n\r\nbye", 503, 3, false },
        { "HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 1\r\n\r\nx", 200, 1, false },
        { "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, 2, false },
        { "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", 200, 2, true },
        { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, 2, true },
        { "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 200, 2, true }, // bare LF line ends, tolerated as RFC 9112 allows
        { "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 200, 0, true },  // no reason phrase
        { "HTTP/1.1 200 OK\r\nX-Long: " + new string('a', 5000) + "\r\nContent-Length: 1\r\n\r\nz", 200, 1, true },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200, 3, true },
    };

    [Theory]
    [MemberData(nameof(Complete))]
    public void A_complete_response_is_parsed_whole_and_split_at_every_byte_boundary(string response, int code, long body, bool keepAlive)
    {
        var bytes = Encoding.ASCII.GetBytes(response);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var parser = new ResponseParser();
            parser.Reset(headRequest: false);
            var first = parser.Feed(bytes.AsSpan(0, split), out var consumed1);
            Assert.True(first == ParseStatus.NeedMore || split == bytes.Length, $"complete too early at split {split}");
            var second = parser.Feed(bytes.AsSpan(split), out var consumed2);
            Assert.Equal(ParseStatus.Complete, split == bytes.Length ? first : second);
            Assert.Equal(bytes.Length, consumed1 + consumed2);
            Assert.Equal(code, parser.StatusCode);
            Assert.Equal(body, parser.BodyBytes);
            Assert.Equal(keepAlive, parser.KeepAlive);
        }
        // And one byte per read.
        var byByte = new ResponseParser();
        byByte.Reset(headRequest: false);
        var status = ParseStatus.NeedMore;
        for (int i = 0; i < bytes.Length; i++)
        {
            Assert.Equal(ParseStatus.NeedMore, status);
            status = byByte.Feed(bytes.AsSpan(i, 1), out _);
        }
        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal(body, byByte.BodyBytes);
    }

    [Fact]
    public void Bytes_after_the_response_are_not_consumed()
    {
        var parser = new ResponseParser();
        parser.Reset(false);
        var bytes = Encoding.ASCII.GetBytes(ContentLength + "HTTP/1.1 200 OK\r\n");
        Assert.Equal(ParseStatus.Complete, parser.Feed(bytes, out var consumed));
        Assert.Equal(ContentLength.Length, consumed);
    }

    [Fact]
    public void Without_a_length_the_body_runs_to_the_end_of_the_stream_and_the_connection_closes()
    {
        var parser = new ResponseParser();
        parser.Reset(false);
        Assert.Equal(ParseStatus.NeedMore, parser.Feed("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome"u8, out _));
        Assert.Equal(ParseStatus.NeedMore, parser.Feed(" body"u8, out _));
        Assert.Equal(ParseStatus.Complete, parser.OnEndOfStream());
        Assert.Equal(9, parser.BodyBytes);
        Assert.False(parser.KeepAlive);
    }

    [Fact]
    public void A_response_cut_short_by_the_end_of_the_stream_is_not_complete()
    {
        var parser = new ResponseParser();
        parser.Reset(false);
        Assert.Equal(ParseStatus.NeedMore, parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello"u8, out _));
        Assert.True(parser.ReceivedAny);
        Assert.Equal(ParseStatus.NeedMore, parser.OnEndOfStream());

        var empty = new ResponseParser();
        empty.Reset(false);
        Assert.False(empty.ReceivedAny); // what allows a resend
        Assert.Equal(ParseStatus.NeedMore, empty.OnEndOfStream());
    }

    [Fact]
    public void A_response_to_HEAD_has_no_body_whatever_its_length_says()
    {
        var parser = new ResponseParser();
        parser.Reset(headRequest: true);
        Assert.Equal(ParseStatus.Complete, parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n"u8, out _));
        Assert.Equal(0, parser.BodyBytes);
        Assert.True(parser.KeepAlive);
    }

    [Fact]
    public void The_parser_is_reusable_for_the_next_response_on_the_connection()
    {
        var parser = new ResponseParser();
        foreach (var response in new[] { Chunked, ContentLength, Chunked })
        {
            parser.Reset(false);
            Assert.Equal(ParseStatus.Complete, parser.Feed(Encoding.ASCII.GetBytes(response), out _));
        }
        Assert.Equal(201, parser.StatusCode);
        Assert.Equal(16, parser.BodyBytes);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: twelve\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")]
    public void A_response_that_is_not_HTTP_1_x_is_malformed(string response)
    {
        var bytes = Encoding.ASCII.GetBytes(response);
        var parser = new ResponseParser();
        parser.Reset(false);
        Assert.Equal(ParseStatus.Malformed, parser.Feed(bytes, out _));
        Assert.NotNull(parser.Problem);

        // Split anywhere, it is malformed too (never complete, never stuck waiting once all bytes are in).
        for (int split = 1; split < bytes.Length; split++)
        {
            var p = new ResponseParser();
            p.Reset(false);
            var first = p.Feed(bytes.AsSpan(0, split), out _);
            Assert.NotEqual(ParseStatus.Complete, first);
            if (first == ParseStatus.NeedMore) Assert.Equal(ParseStatus.Malformed, p.Feed(bytes.AsSpan(split), out _));
        }
    }
}
