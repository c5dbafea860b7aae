using System.Net;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Attack.Http1;
using Lameduck.Cli.Verify.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Tests.Verify.Attack.Http1;

/// <summary>
/// What the epoll HTTP/1.1 engine adds, against real sockets on loopback: resends, resets mid-response, idle
/// connections the server closed, timeouts, saturation, Connection: close, and a real server (Kestrel) reading
/// the requests it writes. Low rates, so each case is deterministic on a busy machine.
/// </summary>
[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class Http1EngineTests
{
    [Fact]
    public void Plain_http_gets_the_epoll_engine_and_https_or_http2_the_HttpClient_one()
    {
        using var plain = LoadEngines.Create(new LoadOptions { Target = new Uri("http://127.0.0.1:9/") });
        using var tls = LoadEngines.Create(new LoadOptions { Target = new Uri("https://127.0.0.1:9/") });
        using var h2 = LoadEngines.Create(new LoadOptions { Target = new Uri("http://127.0.0.1:9/"), Http2 = true });
        Assert.IsType<Http1Engine>(plain);
        Assert.IsType<HttpClientEngine>(tls);
        Assert.IsType<HttpClientEngine>(h2);
    }

    [Fact]
    public async Task The_first_connections_are_opened_before_t0_one_per_millisecond_of_requests()
    {
        // 4,000 req/s: a millisecond of requests is 4, so 4 connections open before the run; the run itself is a
        // single request, which takes one of them. Without the pre-opened pool there would be one connection.
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 4000, Duration = TimeSpan.FromMilliseconds(0.25),
        });
        Assert.Equal(1, result.Summary.Requests);
        Assert.Equal(1, result.Summary.StatusCodes.GetValueOrDefault(200));
        Assert.True(SpinWait.SpinUntil(() => server.Connections >= 4, TimeSpan.FromSeconds(10)), $"connections accepted: {server.Connections}");
        Assert.Equal(4, server.Connections);
        Assert.Equal(1, server.Arrivals);
    }

    [Fact]
    public async Task Connections_that_fail_before_t0_leave_no_record_of_their_own()
    {
        // Nothing listens: the pre-opened connections are refused before t0 and dropped; each scheduled request
        // is then refused on its own and recorded once.
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = new Uri($"http://127.0.0.1:{ClosedPort.Find()}/"), Rate = 5000, Duration = TimeSpan.FromMilliseconds(2),
        });
        Assert.Equal(10, result.Summary.Requests);
        Assert.Equal(10, result.Summary.ErrorSet["connection refused"]);
    }

    [Fact]
    public async Task A_reused_connection_the_server_closes_when_the_request_arrives_is_resent_and_counted()
    {
        // Each connection answers its first request and closes (FIN) on the second without answering. Requests are
        // 100 ms apart, so a request usually goes to the previous one's idle connection, finds it closed before any
        // response byte, and is resent on a new connection, where it is answered. (When the machine stalls, requests
        // overlap and some start on new connections: the counts below hold either way.)
        await using var server = new ScriptedHttpServer((_, onConnection) => onConnection == 1 ? (Reply.Status, 200) : (Reply.Close, 0));
        using var dir = new TempDirectory();
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 10, Duration = TimeSpan.FromSeconds(1), ResultsPath = dir.File("results.csv"),
        });
        var s = result.Summary;

        Assert.True(server.Count("close") >= 1, "some requests must have been written to a reused connection");
        Assert.Equal(server.Count("close"), s.Retries + s.ErrorSet["connection reset"]);
        Assert.Equal(10, s.StatusCodes.GetValueOrDefault(200) + s.ErrorSet["connection reset"]);
        Assert.True(s.Retries >= 3 * s.ErrorSet["connection reset"], "a request is reported failed only after 3 resends");
        Assert.Equal(s.Requests + s.Retries, server.Arrivals);
        var retries = new List<int>();
        ResultsCsvReader.Read(dir.File("results.csv"), (in RequestResult r) => retries.Add(r.Retries));
        Assert.Equal(0, retries[0]); // the first request had a fresh connection
        Assert.Equal(s.Retries, retries.Sum());
    }

    [Theory]
    [InlineData(Reply.PartialThenReset)]
    [InlineData(Reply.PartialThenClose)]
    public async Task A_connection_lost_in_the_middle_of_a_response_is_a_reset_and_is_not_resent(Reply reply)
    {
        await using var server = new ScriptedHttpServer((_, _) => (reply, 0));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 20, Duration = TimeSpan.FromSeconds(0.5), Timeout = TimeSpan.FromSeconds(5),
        });
        Assert.Equal(10, result.Summary.ErrorSet["connection reset"]);
        Assert.Equal(10, result.Summary.Errors);
        Assert.Equal(0, result.Summary.Retries); // a response byte had arrived: never resent
        Assert.Equal(10, server.Arrivals);
    }

    [Fact]
    public async Task An_idle_connection_the_server_closed_is_dropped_from_the_pool_and_costs_no_resend()
    {
        // The server answers (keep-alive) and then closes the idle connection. The engine sees the FIN while the
        // connection is idle and drops it, so the next request opens a new connection instead of failing on it.
        await using var server = new ScriptedHttpServer((_, _) => (Reply.StatusThenClose, 200));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 20, Duration = TimeSpan.FromSeconds(0.5),
        });
        Assert.Equal(10, result.Summary.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(0, result.Summary.Errors);
        Assert.Equal(0, result.Summary.Retries);
        Assert.Equal(10, server.Arrivals);
        Assert.Equal(10, server.Connections);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_one_timeout_after_the_send_on_a_kept_alive_connection()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Hang, 0));
        using var dir = new TempDirectory();
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 20, Duration = TimeSpan.FromSeconds(0.5), Timeout = TimeSpan.FromMilliseconds(300),
            ResultsPath = dir.File("results.csv"),
        });
        Assert.Equal(10, result.Summary.ErrorSet["timeout"]);
        Assert.Equal(10, server.Count("hang"));
        var serviceTimes = new List<long>();
        ResultsCsvReader.Read(dir.File("results.csv"), (in RequestResult r) => serviceTimes.Add(r.ServiceTimeUs));
        // Deadlines are checked every few ms; 2 s of slack is for a machine busy with other builds.
        Assert.All(serviceTimes, us => Assert.InRange(us, 300_000, 2_300_000));
    }

    [Fact]
    public async Task Requests_due_while_max_in_flight_are_outstanding_are_saturated_and_never_sent()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Hang, 0));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 50, Duration = TimeSpan.FromSeconds(0.5), Timeout = TimeSpan.FromSeconds(2), MaxInFlight = 5,
        });
        var s = result.Summary;
        Assert.Equal(25, s.Requests);
        Assert.Equal(5, s.ErrorSet["timeout"]);
        Assert.Equal(20, s.Saturated);
        await WaitForAsync(() => server.Arrivals == 5);
        Assert.Equal(5, server.Connections);
    }

    [Fact]
    public async Task Without_keep_alive_every_request_asks_to_close_and_gets_its_own_connection()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 100, Duration = TimeSpan.FromSeconds(0.5), KeepAlive = false,
        });
        Assert.Equal(50, result.Summary.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(50, server.Count("asked to close"));
        Assert.Equal(50, server.Connections);
        Assert.Equal(0, result.Summary.Retries);
    }

    [Fact]
    public async Task A_stop_ends_scheduling_and_the_requests_in_flight_still_finish_within_the_timeout()
    {
        await using var server = new ScriptedHttpServer((arrival, _) => arrival <= 3 ? (Reply.Hang, 0) : (Reply.Status, 200));
        using var stop = new CancellationTokenSource();
        await using var generator = new LoadGenerator(new LoadOptions
        {
            Target = server.Url, Rate = 20, Duration = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(1),
        });
        var run = generator.RunAsync(stop.Token);
        await WaitForAsync(() => generator.Progress().Completed >= 5);
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Run.Interrupted);
        Assert.Equal(3, result.Summary.ErrorSet["timeout"]);
        Assert.Equal(result.Summary.Requests - 3, result.Summary.StatusCodes.GetValueOrDefault(200));
        Assert.InRange(result.Summary.Requests, 8, 1199);
        Assert.Equal(0, generator.Progress().InFlight);
    }

    [Fact]
    public async Task At_a_polling_rate_every_request_is_accounted_for_and_matches_the_servers_count()
    {
        // From Http1Engine.BusyPollRate on the loop polls instead of sleeping: the same accounting must hold.
        await using var server = new ScriptedHttpServer((arrival, _) => arrival % 10 == 0 ? (Reply.Status, 503) : (Reply.Status, 200));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = Http1Engine.BusyPollRate, Duration = TimeSpan.FromSeconds(0.25), Timeout = TimeSpan.FromSeconds(10),
            MaxInFlight = 10_000,
        });
        var s = result.Summary;
        Assert.Equal(5000, s.Requests);
        Assert.Equal(server.Count("200"), s.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(server.Count("503"), s.StatusCodes.GetValueOrDefault(503));
        // A machine busy with other builds may stall the in-process server; nothing else may go wrong.
        Assert.Equal(s.Requests, s.StatusCodes.GetValueOrDefault(200) + s.StatusCodes.GetValueOrDefault(503) + s.Saturated);
        Assert.Equal(s.StatusCodes.GetValueOrDefault(200) + s.StatusCodes.GetValueOrDefault(503), server.Arrivals);
        Assert.Equal(0, s.Retries);
    }

    [Fact]
    public async Task Kestrel_reads_the_request_the_engine_writes_and_the_engine_reads_a_chunked_answer()
    {
        long seen = 0, wrong = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var ok = context.Request.Method == "POST" && context.Request.Path == "/orders" && context.Request.QueryString.Value == "?x=1"
                     && context.Request.Headers["X-Test"] == "yes" && context.Request.ContentType == "application/json"
                     && body == "{\"n\":1}" && context.Request.Protocol == "HTTP/1.1";
            Interlocked.Increment(ref ok ? ref seen : ref wrong);
            // No Content-Length: Kestrel answers chunked, in two chunks.
            await context.Response.WriteAsync("hello ");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("world\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = new Uri(address + "/orders?x=1"), Rate = 100, Duration = TimeSpan.FromSeconds(0.5), Method = HttpMethod.Post,
            Headers = [new("X-Test", "yes"), new("Content-Type", "application/json")], Body = "{\"n\":1}"u8.ToArray(),
        });
        await app.StopAsync();

        Assert.Equal(50, result.Summary.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(50, Interlocked.Read(ref seen));
        Assert.Equal(0, Interlocked.Read(ref wrong));
        Assert.Equal(50 * 12, result.Summary.BytesIn);
    }

    [Fact]
    public async Task The_HttpClient_engine_still_counts_a_known_sequence_exactly()
    {
        // The engine https and --http2 use, on plain http here so the scripted server's count is the truth.
        await using var server = new ScriptedHttpServer((arrival, _) => arrival % 7 == 0 ? (Reply.Status, 503) : arrival % 13 == 0 ? (Reply.Reset, 0) : (Reply.Status, 200));
        var options = new LoadOptions { Target = server.Url, Rate = 200, Duration = TimeSpan.FromSeconds(0.5), KeepAlive = false };
        await using var generator = new LoadGenerator(options, o => new HttpClientEngine(o));
        var s = (await generator.RunAsync()).Summary;
        Assert.Equal(100, s.Requests);
        Assert.Equal(server.Count("200"), s.StatusCodes.GetValueOrDefault(200));
        Assert.Equal(server.Count("503"), s.StatusCodes.GetValueOrDefault(503));
        Assert.Equal(server.Count("reset"), s.ErrorSet["connection reset"]);
        Assert.Equal(0, s.Retries);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
