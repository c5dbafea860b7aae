using System.Collections.Frozen;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// Copies headers between the client's and the replica's messages without the hop-by-hop ones:
/// RFC 9110 §7.6.1 (<c>Connection</c> and every field it names, <c>Proxy-Connection</c>, <c>Keep-Alive</c>,
/// <c>TE</c>, <c>Transfer-Encoding</c>, <c>Upgrade</c>), plus <c>Expect</c>, which the ingress answers itself
/// (Kestrel sends the client its 100 Continue when the body is read), as nginx does.
/// No <c>X-Forwarded-For</c> or <c>Via</c> is added: nothing in the lab reads them.
/// </summary>
internal static class HopByHopHeaders
{
    private static readonly FrozenSet<string> Names = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Connection", "Proxy-Connection", "Keep-Alive", "TE", "Transfer-Encoding", "Upgrade", "Expect");

    /// <summary>Copies the client's request headers (Host included) to <paramref name="request"/>; content headers go to <paramref name="content"/>.</summary>
    public static void CopyRequest(IHeaderDictionary from, HttpRequestMessage request, HttpContent? content)
    {
        var connection = from.Connection;
        foreach (var header in from)
        {
            if (IsHopByHop(header.Key, connection)) continue;
            var values = header.Value;
            bool added = values.Count == 1
                ? request.Headers.TryAddWithoutValidation(header.Key, values[0])
                : request.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)values);
            // HttpRequestHeaders refuses content headers (Content-Type, Content-Length...): they belong to the body.
            if (!added && content is not null)
            {
                if (values.Count == 1) content.Headers.TryAddWithoutValidation(header.Key, values[0]);
                else content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)values);
            }
        }
    }

    /// <summary>
    /// Copies the replica's response headers to the client's response. <paramref name="keepUpgrade"/> keeps
    /// <c>Upgrade</c> (the 101 of a WebSocket handshake; Kestrel adds <c>Connection: Upgrade</c> itself).
    /// </summary>
    public static void CopyResponse(HttpHeaders from, StringValues connection, IHeaderDictionary to, bool keepUpgrade)
    {
        foreach (var header in from.NonValidated)
        {
            if (IsHopByHop(header.Key, connection) && !(keepUpgrade && string.Equals(header.Key, "Upgrade", StringComparison.OrdinalIgnoreCase))) continue;
            var values = header.Value;
            if (values.Count == 1)
            {
                to[header.Key] = values.ToString();
            }
            else
            {
                var array = new string[values.Count];
                int i = 0;
                foreach (var value in values) array[i++] = value;
                to[header.Key] = array;
            }
        }
    }

    /// <summary>The <c>Connection</c> header of a response (its options name more hop-by-hop fields).</summary>
    public static StringValues ConnectionOf(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Connection", out var values) ? values.ToString() : StringValues.Empty;

    private static bool IsHopByHop(string name, StringValues connection)
    {
        if (Names.Contains(name)) return true;
        foreach (var value in connection)
        {
            if (value is not null && NamesOption(value, name)) return true;
        }
        return false;
    }

    /// <summary>True when the comma-separated <paramref name="connection"/> lists <paramref name="name"/>.</summary>
    private static bool NamesOption(string connection, string name)
    {
        var rest = connection.AsSpan();
        while (!rest.IsEmpty)
        {
            int comma = rest.IndexOf(',');
            var token = (comma < 0 ? rest : rest[..comma]).Trim();
            if (token.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
            rest = comma < 0 ? default : rest[(comma + 1)..];
        }
        return false;
    }
}
