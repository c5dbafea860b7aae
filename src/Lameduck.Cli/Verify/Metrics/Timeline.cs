using System.Runtime.CompilerServices;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Metrics;

/// <summary>
/// Requests per 100 ms split by outcome, and p99 latency per second, both by scheduled time: the data
/// behind the HTML report's chart. Memory grows with the run's length, not its request count: one
/// counter per outcome per 100 ms, and per second a sparse histogram of the latency buckets seen.
/// </summary>
public sealed class Timeline
{
    /// <summary>Width of a count bucket.</summary>
    public const long BucketUs = 100_000;
    private const long SecondUs = 1_000_000;

    private readonly Dictionary<string, List<int>> _counts = new(StringComparer.Ordinal);
    private readonly List<Dictionary<int, int>?> _latencyBySecond = [];

    /// <summary>The outcome a request is charted as: <c>2xx</c>, <c>3xx</c>, <c>4xx</c>, each 5xx code, or the error class.</summary>
    public static string OutcomeOf(in RequestResult r) => r.Error != ErrorClass.None
        ? ErrorClassNames.Name(r.Error)
        : r.Status switch
        {
            >= 200 and < 300 => "2xx",
            >= 300 and < 400 => "3xx",
            >= 400 and < 500 => "4xx",
            _ => r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>True for the outcomes that are not errors in the JSON contract's sense (<c>2xx</c>, <c>3xx</c>); see <see cref="RequestResult.IsSuccess"/>.</summary>
    public static bool IsSuccess(string outcome) => outcome is "2xx" or "3xx";

    /// <summary>Adds one request.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in RequestResult r)
    {
        var bucket = (int)(Math.Max(0, r.ScheduledUs) / BucketUs);
        var outcome = OutcomeOf(r);
        if (!_counts.TryGetValue(outcome, out var series)) _counts[outcome] = series = [];
        while (series.Count <= bucket) series.Add(0);
        series[bucket]++;

        if (!r.WasSent) return;
        var second = (int)(Math.Max(0, r.ScheduledUs) / SecondUs);
        while (_latencyBySecond.Count <= second) _latencyBySecond.Add(null);
        var histogram = _latencyBySecond[second] ??= [];
        var index = LatencyHistogram.BucketIndex(Math.Clamp(r.LatencyUs, 0, LatencyHistogram.MaxTrackableValue));
        histogram[index] = histogram.GetValueOrDefault(index) + 1;
    }

    /// <summary>Number of 100 ms buckets covered.</summary>
    public int BucketCount => _counts.Count == 0 ? 0 : _counts.Values.Max(s => s.Count);

    /// <summary>Outcome series: outcome → count per 100 ms bucket (all the same length), ordered 2xx, 3xx, 4xx, 5xx codes, errors.</summary>
    public IReadOnlyList<KeyValuePair<string, int[]>> CountsByOutcome()
    {
        var length = BucketCount;
        return _counts
            .OrderBy(kv => OutcomeOrder(kv.Key)).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv =>
            {
                var padded = new int[length];
                kv.Value.CopyTo(padded);
                return new KeyValuePair<string, int[]>(kv.Key, padded);
            })
            .ToList();
    }

    /// <summary>p99 latency in ms for each second of the run (null for a second without sent requests).</summary>
    public double?[] P99MsBySecond() => _latencyBySecond.Select(P99Ms).ToArray();

    private static double? P99Ms(Dictionary<int, int>? histogram)
    {
        if (histogram is null || histogram.Count == 0) return null;
        long total = histogram.Values.Sum(c => (long)c);
        var rank = Math.Max(1, (long)Math.Ceiling(0.99 * total));
        long seen = 0;
        foreach (var (index, count) in histogram.OrderBy(kv => kv.Key))
        {
            seen += count;
            if (seen >= rank) return Math.Round(LatencyHistogram.RepresentativeValue(index) / 1000.0, 3);
        }
        return null;
    }

    private static int OutcomeOrder(string outcome) => outcome switch
    {
        "2xx" => 0,
        "3xx" => 1,
        "4xx" => 2,
        _ when char.IsAsciiDigit(outcome[0]) => 3,
        _ => 4,
    };
}
