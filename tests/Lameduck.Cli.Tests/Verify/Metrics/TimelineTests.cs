using Lameduck.Cli.Verify.Metrics;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Tests.Verify.Metrics;

public class TimelineTests
{
    private static RequestResult Answered(long scheduledUs, long latencyUs, int status) =>
        new(0, scheduledUs, scheduledUs, scheduledUs + latencyUs, status, ErrorClass.None, 0, 12);

    [Fact]
    public void Requests_are_counted_per_100_ms_by_scheduled_time_and_split_by_outcome()
    {
        var timeline = new Timeline();
        timeline.Add(Answered(0, 500, 200));
        timeline.Add(Answered(99_999, 500, 204));
        timeline.Add(Answered(100_000, 500, 503));
        timeline.Add(Answered(250_000, 500, 302));
        timeline.Add(Answered(250_000, 500, 404));
        timeline.Add(new RequestResult(0, 250_000, 250_001, 260_000, 0, ErrorClass.ConnectionReset, 0, 0));
        timeline.Add(new RequestResult(0, 250_000, -1, -1, 0, ErrorClass.Saturated, -1, 0));

        var series = timeline.CountsByOutcome().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(["2xx", "3xx", "4xx", "503", "connection reset", "saturated"], timeline.CountsByOutcome().Select(kv => kv.Key));
        Assert.Equal([2, 0, 0], series["2xx"]);
        Assert.Equal([0, 1, 0], series["503"]);
        Assert.Equal([0, 0, 1], series["3xx"]);
        Assert.Equal([0, 0, 1], series["saturated"]);
        Assert.Equal(3, timeline.BucketCount);
    }

    [Fact]
    public void P99_is_computed_per_second_from_sent_requests_only()
    {
        var timeline = new Timeline();
        for (int i = 0; i < 100; i++) timeline.Add(Answered(i * 10_000, i == 99 ? 900_000 : 1_000, 200));  // second 0
        for (int i = 0; i < 100; i++) timeline.Add(Answered(2_000_000 + i * 10_000, 50_000, 200));        // second 2
        timeline.Add(new RequestResult(0, 2_500_000, -1, -1, 0, ErrorClass.Saturated, -1, 0));

        var p99 = timeline.P99MsBySecond();
        Assert.Equal(3, p99.Length);
        Assert.InRange(p99[0]!.Value, 0.99, 1.01);   // the 100th value is the max, the 99th is 1 ms
        Assert.Null(p99[1]);
        Assert.InRange(p99[2]!.Value, 49.8, 50.2);
    }
}
