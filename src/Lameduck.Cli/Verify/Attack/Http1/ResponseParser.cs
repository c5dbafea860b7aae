using System.Runtime.CompilerServices;
using System.Text;

namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>What <see cref="ResponseParser.Feed"/> found.</summary>
internal enum ParseStatus
{
    /// <summary>The response is not complete yet: read more.</summary>
    NeedMore,
    /// <summary>The response (head and body) is complete.</summary>
    Complete,
    /// <summary>The bytes are not an HTTP/1.x response.</summary>
    Malformed,
}

/// <summary>
/// An incremental HTTP/1.x response parser (RFC 9112) that keeps no response bytes: it is fed whatever each read
/// returned, in any split, and keeps only its state, the first <see cref="LineLimit"/> bytes of the current line
/// and counters. So every connection of the engine shares one receive buffer and costs a few hundred bytes.
/// </summary>
/// <remarks>
/// It knows what decides the end of a response and the fate of its connection: the status line (version, code),
/// <c>Content-Length</c>, <c>Transfer-Encoding</c> (chunked with extensions and trailers, or read to end of
/// stream), <c>Connection</c> (close/keep-alive; HTTP/1.0 closes by default), responses without body (HEAD,
/// 1xx, 204, 304) and interim 1xx responses (skipped). Body bytes are counted, not kept.
/// </remarks>
internal sealed class ResponseParser
{
    /// <summary>Bytes of a line kept for inspection; longer lines are skipped past (none of the headers read here is that long).</summary>
    public const int LineLimit = 256;

    private enum State : byte
    {
        StatusLine,
        HeaderLine,
        Body,
        ChunkSizeLine,
        ChunkData,
        ChunkDataEnd,
        TrailerLine,
        UntilEof,
        Done,
        Failed,
    }

    private readonly byte[] _line = new byte[LineLimit];
    private int _lineLength;   // bytes seen on the current line (may exceed LineLimit)
    private State _state;
    private bool _headRequest;
    private long _remaining;   // body or chunk bytes still to come
    private long _contentLength;
    private bool _chunked;
    private bool _otherTransferCoding;
    private bool _connectionClose;
    private bool _connectionKeepAlive;
    private bool _http10;

    /// <summary>HTTP status code of the final response (0 until its status line was read).</summary>
    public int StatusCode { get; private set; }

    /// <summary>Body bytes received (decoded: chunk framing not counted).</summary>
    public long BodyBytes { get; private set; }

    /// <summary>True once any byte of the response arrived (a resend is only allowed before that).</summary>
    public bool ReceivedAny { get; private set; }

    /// <summary>After <see cref="ParseStatus.Complete"/>: the connection may carry another request.</summary>
    public bool KeepAlive => !_connectionClose && (!_http10 || _connectionKeepAlive) && _state == State.Done;

    /// <summary>Why the response was malformed (for diagnostics), or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>Prepares for the response to a new request.</summary>
    /// <param name="headRequest">The request was HEAD: the response has no body whatever its headers say.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset(bool headRequest)
    {
        _headRequest = headRequest;
        StatusCode = 0;
        BodyBytes = 0;
        ReceivedAny = false;
        Problem = null;
        StartMessage();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StartMessage()
    {
        _state = State.StatusLine;
        _lineLength = 0;
        _remaining = 0;
        _contentLength = -1;
        _chunked = false;
        _otherTransferCoding = false;
        _connectionClose = false;
        _connectionKeepAlive = false;
        _http10 = false;
    }

    /// <summary>
    /// Consumes <paramref name="data"/>. <paramref name="consumed"/> tells how many bytes belonged to the response
    /// (fewer than given only when it completed early: the rest is not part of it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ParseStatus Feed(ReadOnlySpan<byte> data, out int consumed)
    {
        if (data.Length > 0) ReceivedAny = true;
        int i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Body:
                case State.ChunkData:
                {
                    var take = (int)Math.Min(_remaining, data.Length - i);
                    i += take;
                    _remaining -= take;
                    BodyBytes += take;
                    if (_remaining == 0)
                    {
                        if (_state == State.Body) _state = State.Done;
                        else { _state = State.ChunkDataEnd; _lineLength = 0; }
                    }
                    break;
                }
                case State.UntilEof:
                    BodyBytes += data.Length - i;
                    i = data.Length;
                    break;
                case State.Done:
                    consumed = i;
                    return ParseStatus.Complete;
                case State.Failed:
                    consumed = i;
                    return ParseStatus.Malformed;
                default:
                {
                    // A line-oriented state: collect up to LF.
                    var rest = data[i..];
                    var lf = rest.IndexOf((byte)'\n');
                    var chunk = lf < 0 ? rest : rest[..lf];
                    if (_lineLength < LineLimit)
                        chunk[..Math.Min(chunk.Length, LineLimit - _lineLength)].CopyTo(_line.AsSpan(_lineLength));
                    _lineLength += chunk.Length;
                    if (lf < 0)
                    {
                        i = data.Length;
                        break;
                    }
                    i += lf + 1;
                    var line = _line.AsSpan(0, Math.Min(_lineLength, LineLimit));
                    var truncated = _lineLength > LineLimit;
                    if (line.Length > 0 && line[^1] == '\r' && !truncated) line = line[..^1];
                    _lineLength = 0;
                    OnLine(line, truncated);
                    break;
                }
            }
        }
        consumed = i;
        return _state switch
        {
            State.Done => ParseStatus.Complete,
            State.Failed => ParseStatus.Malformed,
            _ => ParseStatus.NeedMore,
        };
    }

    /// <summary>
    /// The connection reached end of stream. Returns <see cref="ParseStatus.Complete"/> when that ends the response
    /// (a body delimited by the close), otherwise <see cref="ParseStatus.NeedMore"/> (the response was cut short).
    /// </summary>
    public ParseStatus OnEndOfStream()
    {
        if (_state == State.UntilEof)
        {
            _state = State.Done;
            _connectionClose = true;
            return ParseStatus.Complete;
        }
        return _state == State.Done ? ParseStatus.Complete : ParseStatus.NeedMore;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnLine(ReadOnlySpan<byte> line, bool truncated)
    {
        switch (_state)
        {
            case State.StatusLine:
                if (truncated || !ParseStatusLine(line)) Fail("status line is not 'HTTP/1.x NNN ...'");
                else _state = State.HeaderLine;
                break;
            case State.HeaderLine:
                if (line.Length == 0 && !truncated) EndOfHead();
                else OnHeader(line, truncated);
                break;
            case State.ChunkSizeLine:
                OnChunkSize(line, truncated);
                break;
            case State.ChunkDataEnd:
                if (line.Length != 0) Fail("chunk data is not followed by CRLF");
                else _state = State.ChunkSizeLine;
                break;
            case State.TrailerLine:
                if (line.Length == 0 && !truncated) _state = State.Done;
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP-version SP status-code SP [reason-phrase]; the reason may be missing (even the SP, leniently).
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != ' ') return false;
        if (line[7] == '0') _http10 = true;
        else if (line[7] != '1') return false;
        int code = 0;
        for (int k = 9; k < 12; k++)
        {
            if (line[k] is < (byte)'0' or > (byte)'9') return false;
            code = code * 10 + (line[k] - '0');
        }
        if (line.Length > 12 && line[12] != ' ') return false;
        if (code < 100) return false;
        StatusCode = code;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnHeader(ReadOnlySpan<byte> line, bool truncated)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            if (truncated) return; // a long header line cut before its colon: not one this parser reads
            Fail("header line without a name and ':'");
            return;
        }
        var name = line[..colon];
        var value = Trim(line[(colon + 1)..]);
        if (name[^1] is (byte)' ' or (byte)'\t')
        {
            Fail("whitespace between header name and ':'");
            return;
        }
        if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (truncated || !TryParseLength(value, out var length) || (_contentLength >= 0 && _contentLength != length))
                Fail("invalid Content-Length");
            else _contentLength = length;
        }
        else if (name.Length == 17 && Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            if (truncated) { Fail("Transfer-Encoding too long"); return; }
            // The last coding decides: chunked ends the body by itself, any other coding reads to the close.
            var last = value;
            var comma = value.LastIndexOf((byte)',');
            if (comma >= 0) last = Trim(value[(comma + 1)..]);
            if (Ascii.EqualsIgnoreCase(last, "chunked"u8)) { _chunked = true; _otherTransferCoding = false; }
            else { _chunked = false; _otherTransferCoding = true; }
        }
        else if (name.Length == 10 && Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                var option = Trim(value[range]);
                if (Ascii.EqualsIgnoreCase(option, "close"u8)) _connectionClose = true;
                else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8)) _connectionKeepAlive = true;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EndOfHead()
    {
        if (StatusCode is >= 100 and < 200 && StatusCode != 101)
        {
            // Interim response (100 Continue, 103 Early Hints): the final one follows on the same connection.
            var head = _headRequest;
            StartMessage();
            _headRequest = head;
            StatusCode = 0;
            return;
        }
        if (StatusCode == 101)
        {
            Fail("101 Switching Protocols: verify does not upgrade connections");
            return;
        }
        if (_headRequest || StatusCode is 204 or 304)
        {
            _state = State.Done;
        }
        else if (_chunked || _otherTransferCoding)
        {
            // Transfer-Encoding overrides Content-Length (RFC 9112 6.3); such a response must close after.
            if (_contentLength >= 0) _connectionClose = true;
            _state = _chunked ? State.ChunkSizeLine : State.UntilEof;
            if (!_chunked) _connectionClose = true;
        }
        else if (_contentLength >= 0)
        {
            _remaining = _contentLength;
            _state = _contentLength == 0 ? State.Done : State.Body;
        }
        else
        {
            _state = State.UntilEof;
            _connectionClose = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnChunkSize(ReadOnlySpan<byte> line, bool truncated)
    {
        // chunk-size [ ; chunk-ext ] CRLF
        var semicolon = line.IndexOf((byte)';');
        var digits = Trim(semicolon < 0 ? line : line[..semicolon]);
        if ((truncated && semicolon < 0) || digits.Length == 0 || digits.Length > 15)
        {
            Fail("invalid chunk size");
            return;
        }
        long size = 0;
        foreach (var b in digits)
        {
            int v = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (v < 0)
            {
                Fail("invalid chunk size");
                return;
            }
            size = size * 16 + v;
        }
        if (size == 0) _state = State.TrailerLine;
        else
        {
            _remaining = size;
            _state = State.ChunkData;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.Length == 0 || value.Length > 18) return false;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            length = length * 10 + (b - '0');
        }
        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);

    private void Fail(string problem)
    {
        Problem = problem;
        _state = State.Failed;
    }
}
