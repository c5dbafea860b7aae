using System.Text;

namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>
/// The request every scheduled send writes, built once: request line, <c>Host</c>, the user's headers,
/// <c>Connection: close</c> without keep-alive, <c>Content-Length</c> and the body. The same bytes each time, so
/// sending costs one <c>send(2)</c> and no formatting.
/// </summary>
internal static class RequestBytes
{
    /// <summary>The wire bytes of the request <paramref name="options"/> describe.</summary>
    public static byte[] Build(LoadOptions options)
    {
        var target = options.Target;
        var text = new StringBuilder();
        text.Append(options.Method.Method).Append(' ').Append(target.PathAndQuery).Append(" HTTP/1.1\r\n");
        var userHost = options.Headers.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase));
        if (!userHost) text.Append("Host: ").Append(HostHeader(target)).Append("\r\n");
        var userLength = false;
        foreach (var (name, value) in options.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                userLength = true;
                continue; // the body decides it (what HttpClient does too)
            }
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        if (!options.KeepAlive) text.Append("Connection: close\r\n");
        var body = options.Body ?? ReadOnlyMemory<byte>.Empty;
        // HttpClient sends Content-Length: 0 for a body-less POST/PUT/PATCH (and with a Content-Type header, which
        // needs a content); mirror it so both engines send the same request.
        if (options.Body is not null || userLength || NeedsLength(options))
            text.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        text.Append("\r\n");
        var head = Encoding.Latin1.GetBytes(text.ToString());
        var bytes = new byte[head.Length + body.Length];
        head.CopyTo(bytes, 0);
        body.Span.CopyTo(bytes.AsSpan(head.Length));
        return bytes;
    }

    /// <summary>
    /// RFC 9110 §7.2: the target URI's host and port. An IPv6 literal keeps its brackets (<see cref="Uri.IdnHost"/> drops
    /// them, and <c>Host: ::1:8080</c> is rejected with 400 by Kestrel and other strict servers); a zone id is not sent.
    /// </summary>
    private static string HostHeader(Uri target)
    {
        var host = target.HostNameType == UriHostNameType.IPv6 ? "[" + target.IdnHost.Split('%')[0] + "]" : target.IdnHost;
        return target.IsDefaultPort ? host : $"{host}:{target.Port}";
    }

    private static bool NeedsLength(LoadOptions options) =>
        options.Method == HttpMethod.Post || options.Method == HttpMethod.Put || options.Method == HttpMethod.Patch ||
        options.Headers.Any(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase));
}
