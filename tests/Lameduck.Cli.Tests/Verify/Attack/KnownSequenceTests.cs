using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Cli.Verify.Attack;

namespace Lameduck.Cli.Tests.Verify.Attack;

/// <summary>
/// The load generator's counts against a server that answers a known sequence: every 7th request 503, every
/// 11th 502, every 13th reset. The server's own tally is the truth.
/// </summary>
[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class KnownSequenceTests
{
    private static (Reply, int) Script(long arrival, int _) =>
        arrival % 13 == 0 ? (Reply.Reset, 0)
        : arrival % 11 == 0 ? (Reply.Status, 502)
        : arrival % 7 == 0 ? (Reply.Status, 503)
        : (Reply.Status, 200);

    [Fact]
    public async Task Counts_per_status_and_error_class_match_the_servers_own_count_exactly_without_keep_alive()
    {
        await using var server = new ScriptedHttpServer(Script);
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 400, Duration = TimeSpan.FromSeconds(1.5), KeepAlive = false, Timeout = TimeSpan.FromSeconds(10),
        });
        var s = result.Summary;

        Assert.Equal(600, s.Requests);
        Assert.Equal(600, server.Arrivals);          // one connection per request: nothing was resent
        Assert.Equal(600, server.Connections);
        Assert.Equal(server.Count("200"), s.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(server.Count("503"), s.StatusCodes.GetValueOrDefault(503));
        Assert.Equal(server.Count("502"), s.StatusCodes.GetValueOrDefault(502));
        Assert.Equal(server.Count("reset"), s.ErrorSet["connection reset"]);
        Assert.Equal(46, server.Count("reset"));      // 600 / 13
        Assert.Equal(0, s.ErrorSet["timeout"] + s.ErrorSet["other"] + s.ErrorSet["connection refused"] + s.Saturated);
        Assert.Equal(server.Count("503") + server.Count("502") + server.Count("reset"), s.Errors);
        Assert.Equal(0, s.Retries);
        Assert.Equal(12 * (600 - 46), s.BytesIn);
    }

    [Fact]
    public async Task With_keep_alive_every_reset_is_either_reported_or_counted_as_a_resend()
    {
        // Reported resets plus resends must equal the server's resets, and every answer the server gave must be
        // reported. (SocketsHttpHandler resends after a FIN before any response byte, not after a RST, so here
        // every reset is reported; the test holds either way.)
        await using var server = new ScriptedHttpServer(Script);
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 400, Duration = TimeSpan.FromSeconds(1.5), Timeout = TimeSpan.FromSeconds(10),
        });
        var s = result.Summary;

        Assert.Equal(600, s.Requests);
        Assert.Equal(server.Count("200"), s.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(server.Count("503"), s.StatusCodes.GetValueOrDefault(503));
        Assert.Equal(server.Count("502"), s.StatusCodes.GetValueOrDefault(502));
        Assert.Equal(server.Count("reset"), s.ErrorSet["connection reset"] + s.Retries);
        Assert.Equal(server.Arrivals, s.Requests + s.Retries);
        Assert.True(server.Connections > 46, "keep-alive: connections are reused between resets");
        Assert.True(server.Connections < 600, "keep-alive: connections are reused between resets");
    }

    [Fact]
    public async Task A_reused_connection_closed_before_the_answer_is_resent_and_every_resend_is_counted()
    {
        // Each connection answers its first request and closes on its second without answering: the situation
        // of a keep-alive connection closed by a server that is shutting down. The handler resends such a request
        // (up to 3 times; a resend may land on another such connection), so each close the server made is either
        // a counted resend or, for a request whose resends ran out, a reported reset.
        await using var server = new ScriptedHttpServer((_, onConnection) => onConnection == 1 ? (Reply.Status, 200) : (Reply.Close, 0));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 100, Duration = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(10),
        });
        var s = result.Summary;

        Assert.Equal(100, s.Requests);
        Assert.Equal(server.Count("200"), s.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(s.Requests, s.StatusCodes.GetValueOrDefault(200) + s.ErrorSet["connection reset"]);
        Assert.True(server.Count("close") > 0, "the server must have closed some reused connections");
        Assert.Equal(server.Count("close"), s.Retries + s.ErrorSet["connection reset"]);
        Assert.True(s.Retries >= 3 * s.ErrorSet["connection reset"], "a request is reported failed only after its resends ran out");
        Assert.True(s.StatusCodes.GetValueOrDefault(200) >= 50, "most resends find a connection that answers");
    }
}
