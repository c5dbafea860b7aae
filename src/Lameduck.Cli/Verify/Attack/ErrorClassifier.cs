using System.Net.Http;
using System.Net.Sockets;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// Maps what SocketsHttpHandler throws onto the report's error classes. The socket error is the most precise
/// fact, so it is looked for first anywhere in the exception chain; then the handler's own
/// <see cref="HttpRequestError"/>; a timeout is known by the caller (its timer fired) and never guessed here.
/// </summary>
public static class ErrorClassifier
{
    /// <summary>The class of <paramref name="exception"/>, thrown while sending or reading the response.</summary>
    public static ErrorClass Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                switch (socket.SocketErrorCode)
                {
                    case SocketError.ConnectionRefused:
                        return ErrorClass.ConnectionRefused;
                    case SocketError.ConnectionReset:
                    case SocketError.ConnectionAborted:
                    case SocketError.Shutdown:
                        return ErrorClass.ConnectionReset;
                    case SocketError.TimedOut:
                        return ErrorClass.Timeout;
                }
            }
            if (e is TimeoutException) return ErrorClass.Timeout;
        }
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var httpError = e switch
            {
                HttpRequestException request => request.HttpRequestError,
                HttpIOException io => io.HttpRequestError,
                _ => HttpRequestError.Unknown,
            };
            // ResponseEnded: the server closed the connection (FIN) before the response was complete. For a
            // client that is the same outcome as a reset: the connection went away under the request.
            if (httpError == HttpRequestError.ResponseEnded) return ErrorClass.ConnectionReset;
        }
        return ErrorClass.Other;
    }
}
