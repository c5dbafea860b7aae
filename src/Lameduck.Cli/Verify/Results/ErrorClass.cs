namespace Lameduck.Cli.Verify.Results;

/// <summary>Why a request got no HTTP answer. <see cref="None"/> means a status code was received.</summary>
/// <remarks>
/// The classes are the ones a rolling update produces: a port nobody listens on any more (refused),
/// a server that closed or reset a connection under a request (reset), a server that never answered
/// (timeout). <see cref="Saturated"/> is the client's own failure: the request was due but
/// <c>--max-in-flight</c> requests were already outstanding, so it was never sent; it is counted, not hidden.
/// </remarks>
public enum ErrorClass : byte
{
    /// <summary>The request got an HTTP response (any status code).</summary>
    None = 0,
    /// <summary>The TCP connect was refused (nothing listens on the port).</summary>
    ConnectionRefused = 1,
    /// <summary>The server reset or closed the connection before the response was complete.</summary>
    ConnectionReset = 2,
    /// <summary>No complete response within <c>--timeout</c>.</summary>
    Timeout = 3,
    /// <summary>Any other transport failure (DNS, protocol violation, TLS...).</summary>
    Other = 4,
    /// <summary>Not sent: <c>--max-in-flight</c> requests were already outstanding when it was due.</summary>
    Saturated = 5,
}

/// <summary>The names error classes have in reports and results files (stable: other tools read them).</summary>
public static class ErrorClassNames
{
    /// <summary>Every failure class, in report order.</summary>
    public static readonly IReadOnlyList<ErrorClass> Failures =
        [ErrorClass.ConnectionRefused, ErrorClass.ConnectionReset, ErrorClass.Timeout, ErrorClass.Other, ErrorClass.Saturated];

    /// <summary>The report name of <paramref name="error"/>, e.g. <c>connection refused</c>; empty for <see cref="ErrorClass.None"/>.</summary>
    public static string Name(ErrorClass error) => error switch
    {
        ErrorClass.None => "",
        ErrorClass.ConnectionRefused => "connection refused",
        ErrorClass.ConnectionReset => "connection reset",
        ErrorClass.Timeout => "timeout",
        ErrorClass.Other => "other",
        ErrorClass.Saturated => "saturated",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    /// <summary>Parses a report name back; false when <paramref name="name"/> is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out ErrorClass error)
    {
        foreach (var candidate in (ReadOnlySpan<ErrorClass>)[ErrorClass.None, .. Failures])
        {
            if (name.SequenceEqual(Name(candidate)))
            {
                error = candidate;
                return true;
            }
        }
        error = ErrorClass.None;
        return false;
    }
}
