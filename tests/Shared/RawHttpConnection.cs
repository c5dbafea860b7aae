using System.Net;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Lameduck.Testing;

/// <summary>A parsed HTTP/1.1 response.</summary>
internal sealed record RawHttpResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Whether the server said <c>Connection: close</c>.</summary>
    public bool ConnectionClose =>
        Headers.TryGetValue("Connection", out var value) && value.Contains("close", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Thrown when the server closed (or reset) the connection before any byte of the response.</summary>
internal sealed class ClosedBeforeResponseException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// One HTTP/1.1 keep-alive connection over a plain socket, so a test sees exactly what an HttpClient pool
/// hides: which connection a request used, the <c>Connection</c> header, and when the server closes.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private readonly string _host;

    private RawHttpConnection(Socket socket, string host)
    {
        _socket = socket;
        _host = host;
    }

    /// <summary>Responses read on this connection so far.</summary>
    public int ResponsesRead { get; private set; }

    public static async Task<RawHttpConnection> ConnectAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        // 127.0.0.1 or [::1]: the socket's family follows the address (DnsSafeHost is the literal without brackets).
        var address = IPAddress.Parse(baseAddress.DnsSafeHost);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, baseAddress.Port), cancellationToken);
            return new RawHttpConnection(socket, baseAddress.Authority);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <c>GET path</c> and reads the whole response.</summary>
    public async Task<RawHttpResponse> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var request = Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: {_host}\r\n\r\n");
        try
        {
            await _socket.SendAsync(request, SocketFlags.None, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new ClosedBeforeResponseException($"send failed: {e.SocketErrorCode}", e);
        }
        var response = await ReadResponseAsync(cancellationToken);
        ResponsesRead++;
        return response;
    }

    /// <summary>True when the server closes the connection (EOF or reset) within <paramref name="timeout"/>.</summary>
    public async Task<bool> ClosedByServerWithinAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await FillAsync(cts.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task<RawHttpResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(cancellationToken, first: true);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new IOException($"not an HTTP/1.x status line: '{statusLine}'");
        }
        var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken, first: false);
            if (line.Length == 0)
            {
                break;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = new StringBuilder();
        if (headers.TryGetValue("Content-Length", out var lengthText))
        {
            body.Append(await ReadExactlyAsync(int.Parse(lengthText, CultureInfo.InvariantCulture), cancellationToken));
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var size = int.Parse((await ReadLineAsync(cancellationToken, first: false)).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    await ReadLineAsync(cancellationToken, first: false); // end of trailers
                    break;
                }
                body.Append(await ReadExactlyAsync(size, cancellationToken));
                await ReadLineAsync(cancellationToken, first: false);
            }
        }
        return new RawHttpResponse(status, headers, body.ToString());
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken, bool first)
    {
        var line = new StringBuilder();
        var sawAny = false;
        while (true)
        {
            if (_start == _end)
            {
                int read;
                try
                {
                    read = await FillAsync(cancellationToken);
                }
                catch (SocketException e) when (first && !sawAny)
                {
                    throw new ClosedBeforeResponseException($"connection reset before the response: {e.SocketErrorCode}", e);
                }
                if (read == 0)
                {
                    throw first && !sawAny
                        ? new ClosedBeforeResponseException("connection closed by the server before the response")
                        : new IOException("connection closed in the middle of a response");
                }
            }
            sawAny = true;
            var c = (char)_buffer[_start++];
            if (c == '\n')
            {
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line.Length--;
                }
                return line.ToString();
            }
            line.Append(c);
        }
    }

    private async Task<string> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var bytes = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end && await FillAsync(cancellationToken) == 0)
            {
                throw new IOException("connection closed in the middle of a response body");
            }
            var n = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, bytes, copied, n);
            _start += n;
            copied += n;
        }
        return Encoding.UTF8.GetString(bytes);
    }

    private async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cancellationToken);
        return _end;
    }

    public void Dispose() => _socket.Dispose();
}
