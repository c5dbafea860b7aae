using System.Diagnostics;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Tests.Verify.Attack;

[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class TimingTests
{
    [Fact]
    public async Task Requests_follow_the_schedule_at_the_requested_rate()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        using var dir = new TempDirectory();
        var results = dir.File("results.csv");
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 500, Duration = TimeSpan.FromSeconds(3), ResultsPath = results,
        });

        Assert.Equal(1500, result.Summary.Requests);
        Assert.Equal(1500, server.Count("200"));
        var sent = new List<RequestResult>();
        ResultsCsvReader.Read(results, (in RequestResult r) => sent.Add(r));
        sent.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => (long)i), sent.Select(r => r.Seq));
        // Scheduled times are exactly i / rate; actual sends follow them (rate measured from the send times).
        Assert.All(sent, r => Assert.Equal(r.Seq * 2000, r.ScheduledUs));
        var achieved = (sent.Count - 1) / ((sent[^1].SentUs - sent[0].SentUs) / 1e6);
        Assert.InRange(achieved, 500 * 0.95, 500 * 1.05);
        // Generous: a shared 2-core machine can stall a thread, but not for most of the requests.
        Assert.True(result.Summary.SendLagMs.P50 < 5, $"median send lag {result.Summary.SendLagMs.P50} ms");
    }

    [Fact]
    public async Task A_server_that_never_answers_ends_the_run_at_duration_plus_timeout_with_every_request_a_timeout()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Hang, 0));
        var watch = Stopwatch.StartNew();
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 50, Duration = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1),
        });
        watch.Stop();

        Assert.Equal(50, result.Summary.Requests);
        Assert.Equal(50, result.Summary.ErrorSet["timeout"]);
        Assert.Equal(50, result.Summary.Errors);
        // The last request is due at 0.98 s and times out 1 s later; allow 3 s for a loaded machine, not more.
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.9, 5);
        // Percentiles carry the histogram's 0.4 % resolution: 1 s reads back within ±4 ms.
        Assert.InRange(result.Summary.LatencyMs.P50, 996, 1500);
        Assert.InRange(result.Summary.WaitSeconds, 0.9, 4);
    }

    [Fact]
    public async Task Requests_beyond_max_in_flight_are_counted_as_saturated_not_delayed()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Hang, 0));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 100, Duration = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(3), MaxInFlight = 5,
        });

        Assert.Equal(100, result.Summary.Requests);
        Assert.Equal(5, result.Summary.ErrorSet["timeout"]);
        Assert.Equal(95, result.Summary.Saturated);
        Assert.Equal(95, result.Summary.ErrorSet["saturated"]);
        Assert.Equal(100, result.Summary.Errors);
        Assert.Equal(5, server.Count("hang"));
    }

    [Fact]
    public async Task Stopping_early_ends_scheduling_waits_for_in_flight_requests_and_reports_what_was_done()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        using var stop = new CancellationTokenSource();
        await using var generator = new LoadGenerator(new LoadOptions { Target = server.Url, Rate = 200, Duration = TimeSpan.FromSeconds(30) });
        var run = generator.RunAsync(stop.Token);
        while (generator.Progress().Completed < 100) await Task.Delay(20);
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Interrupted);
        Assert.InRange(result.Summary.Requests, 100, 6000 - 1);
        Assert.Equal(server.Count("200"), result.Summary.Requests);
        Assert.Equal(0, result.Summary.Errors);
        Assert.InRange(result.Summary.DurationSeconds, 0.4, 10);
    }

    [Theory]
    [InlineData("epoll")]
    [InlineData("SocketsHttpHandler")]
    public async Task Ending_the_schedule_early_completes_the_run_with_the_requests_due_so_far_at_the_schedules_rate(string engine)
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        using var dir = new TempDirectory();
        var options = new LoadOptions { Target = server.Url, Rate = 200, Duration = TimeSpan.FromSeconds(30), ResultsPath = dir.File("results.csv") };
        await using var generator = engine == "epoll" ? new LoadGenerator(options) : new LoadGenerator(options, o => new HttpClientEngine(o));
        var run = generator.RunAsync();
        while (generator.Progress().Completed < 100) await Task.Delay(20);
        var endedAt = generator.Progress().Elapsed;
        generator.EndSchedule();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        // Every request due when the schedule was ended was sent (request i is due at i / 200 s), none after
        // (the generator reads its clock in that call, right after this one: 0.5 s is room for a starved machine; a
        // schedule that ran on would send 6,000).
        Assert.InRange(result.Summary.Requests, (long)(endedAt.TotalSeconds * 200) + 1, (long)((endedAt.TotalSeconds + 0.5) * 200) + 1);
        // Not an interruption: the run is complete, and covers the first N requests of the schedule, every one answered.
        Assert.False(result.Interrupted);
        Assert.InRange(result.Summary.Requests, 100, 6000 - 1);
        Assert.Equal(server.Count("200"), result.Summary.Requests);
        Assert.Equal(0, result.Summary.Errors);
        // Its duration is those requests' at the schedule's rate, so the reported rate is the one asked for.
        Assert.Equal(result.Summary.Requests / 200.0, result.Summary.DurationSeconds, 6);
        Assert.Equal(200, result.Summary.Rate);
        // The results file says the same (verify report rebuilds the run from it).
        var fromFile = ResultsCsvReader.Read(dir.File("results.csv"), (in RequestResult _) => { });
        Assert.False(fromFile.Run.Interrupted);
        Assert.Equal((long)(result.Summary.Requests / 200.0 * 1_000_000), fromFile.Run.AttackDurationUs);
        generator.EndSchedule(); // after the run: nothing to end, no error
    }
}
