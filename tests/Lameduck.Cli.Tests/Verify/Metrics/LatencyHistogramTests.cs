using Lameduck.Cli.Verify.Metrics;

namespace Lameduck.Cli.Tests.Verify.Metrics;

public class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_within_one_percent_of_the_exact_value_over_a_wide_range()
    {
        var random = new Random(7);
        var values = new long[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            // Log-uniform from 1 µs to about 100 s: every bucket width is exercised.
            values[i] = (long)Math.Exp(random.NextDouble() * Math.Log(100_000_000));
        }
        var histogram = new LatencyHistogram();
        foreach (var v in values) histogram.Record(v);
        Array.Sort(values);

        foreach (var p in new[] { 1.0, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100 })
        {
            var exact = values[Math.Max(0, (int)Math.Ceiling(p / 100 * values.Length) - 1)];
            var measured = histogram.ValueAtPercentile(p);
            Assert.True(Math.Abs(measured - exact) <= exact * 0.01,
                $"p{p}: histogram says {measured}, exact is {exact} (error {Math.Abs(measured - exact) / (double)exact:P3})");
        }
        Assert.Equal(values[^1], histogram.Max);
        Assert.Equal(values[0], histogram.Min);
        Assert.Equal(values.Length, histogram.Count);
        Assert.Equal(values.Sum(), histogram.Sum);
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var histogram = new LatencyHistogram();
        for (long v = 0; v < 256; v++) histogram.Record(v);
        Assert.Equal(127, histogram.ValueAtPercentile(50));
        Assert.Equal(0, histogram.ValueAtPercentile(0));
        Assert.Equal(255, histogram.ValueAtPercentile(100));
        Assert.Equal(127.5, histogram.Mean);
    }

    [Fact]
    public void Every_bucket_boundary_maps_back_to_its_own_bucket_and_widths_stay_under_one_percent()
    {
        for (int index = 0; index < LatencyHistogram.BucketCount - 1; index++)
        {
            var low = LatencyHistogram.LowestValue(index);
            var next = LatencyHistogram.LowestValue(index + 1);
            Assert.Equal(index, LatencyHistogram.BucketIndex(low));
            Assert.Equal(index, LatencyHistogram.BucketIndex(next - 1));
            Assert.True(next - low == 1 || (next - low) / (double)low <= 1.0 / 128, $"bucket {index} [{low}, {next}) is too wide");
        }
    }

    [Fact]
    public void Memory_is_fixed_and_huge_or_negative_values_are_clamped()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        histogram.Record(long.MaxValue);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(LatencyHistogram.MaxTrackableValue, histogram.Max);
        Assert.Equal(LatencyHistogram.MaxTrackableValue, histogram.ValueAtPercentile(100));
        Assert.True(LatencyHistogram.BucketCount < 5000, "the histogram must stay a few kilobytes whatever it records");
    }

    [Fact]
    public void Empty_histogram_reports_zero_and_bad_percentiles_are_rejected()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.ValueAtPercentile(99));
        Assert.Equal(0, histogram.Mean);
        histogram.Record(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(101));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(double.NaN));
    }
}
