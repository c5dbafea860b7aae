using System.Net.Sockets;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Tests.Verify.Attack;

/// <summary>Each error class from a real failure on loopback, and the classifier on the exceptions .NET throws.</summary>
[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class ErrorClassTests
{
    [Fact]
    public async Task A_port_nobody_listens_on_is_connection_refused()
    {
        var port = ClosedPort.Find();

        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = new Uri($"http://127.0.0.1:{port}/"), Rate = 20, Duration = TimeSpan.FromSeconds(0.5),
        });
        Assert.Equal(10, result.Summary.ErrorSet["connection refused"]);
        Assert.Equal(10, result.Summary.Errors);
    }

    [Theory]
    [InlineData(Reply.Reset, "connection reset")]
    [InlineData(Reply.Close, "connection reset")]
    [InlineData(Reply.Hang, "timeout")]
    public async Task A_server_that_fails_on_a_fresh_connection_gives_its_class(Reply reply, string expected)
    {
        await using var server = new ScriptedHttpServer((_, _) => (reply, 0));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 20, Duration = TimeSpan.FromSeconds(0.5), Timeout = TimeSpan.FromSeconds(1), KeepAlive = false,
        });
        Assert.Equal(10, result.Summary.ErrorSet[expected]);
        Assert.Equal(10, result.Summary.Errors);
        // SocketsHttpHandler resends a request whose connection ended (FIN) before any response byte, up to 3 times,
        // even on a fresh connection; a reset or a silence is never resent. The server saw every attempt.
        var attemptsPerRequest = reply == Reply.Close ? 4 : 1;
        Assert.Equal(10 * attemptsPerRequest, server.Arrivals);
        Assert.Equal(10 * (attemptsPerRequest - 1), result.Summary.Retries);
    }

    [Fact]
    public void The_classifier_reads_the_socket_error_wherever_it_is_in_the_chain()
    {
        Assert.Equal(ErrorClass.ConnectionRefused, ErrorClassifier.Classify(
            new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(ErrorClass.ConnectionReset, ErrorClassifier.Classify(
            new HttpRequestException("x", new IOException("y", new SocketException((int)SocketError.ConnectionReset)))));
        Assert.Equal(ErrorClass.ConnectionReset, ErrorClassifier.Classify(new HttpIOException(HttpRequestError.ResponseEnded, "ended")));
        Assert.Equal(ErrorClass.ConnectionReset, ErrorClassifier.Classify(new HttpRequestException(HttpRequestError.ResponseEnded, "ended")));
        Assert.Equal(ErrorClass.Timeout, ErrorClassifier.Classify(new HttpRequestException("x", new TimeoutException())));
        Assert.Equal(ErrorClass.Other, ErrorClassifier.Classify(new HttpRequestException(HttpRequestError.NameResolutionError, "dns")));
        Assert.Equal(ErrorClass.Other, ErrorClassifier.Classify(new InvalidOperationException()));
    }
}
