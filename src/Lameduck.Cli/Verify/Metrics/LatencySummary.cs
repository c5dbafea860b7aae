namespace Lameduck.Cli.Verify.Metrics;

/// <summary>Distribution of one duration in milliseconds: the <c>latency_ms</c> object of the JSON contract.</summary>
public sealed record LatencySummary(double Mean, double P50, double P90, double P95, double P99, double Max)
{
    /// <summary>Summarises <paramref name="microseconds"/>, rounded to the microsecond it was measured in.</summary>
    public static LatencySummary From(LatencyHistogram microseconds) => new(
        Ms(microseconds.Mean),
        Ms(microseconds.ValueAtPercentile(50)),
        Ms(microseconds.ValueAtPercentile(90)),
        Ms(microseconds.ValueAtPercentile(95)),
        Ms(microseconds.ValueAtPercentile(99)),
        Ms(microseconds.Max));

    private static double Ms(double us) => Math.Round(us / 1000.0, 3);
}
