using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lameduck.Cli.Verify.Metrics;

/// <summary>
/// A log-linear histogram of non-negative integer values (microseconds here) in fixed memory (35 KB),
/// with a relative error of at most 1/256 (0.4 %) on every percentile. Stands in for HdrHistogram
/// (HdrHistogram.NET), which does not restore here; same idea: exact buckets for small values, then
/// each power of two split into 128 equal sub-buckets.
/// </summary>
/// <example>
/// <code>
/// var h = new LatencyHistogram();
/// h.Record(1_250);                  // 1.25 ms in microseconds
/// long p99 = h.ValueAtPercentile(99);
/// </code>
/// </example>
public sealed class LatencyHistogram
{
    /// <summary>Sub-buckets per power of two (2^7): the width of a bucket is at most 1/128 of its lower bound.</summary>
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    /// <summary>Values below 2 * <see cref="SubBucketCount"/> get a bucket each.</summary>
    private const int ExactLimit = SubBucketCount * 2;
    /// <summary>Largest power of two tracked: 2^40 µs is 12.7 days; larger values are clamped to it.</summary>
    private const int MaxExponent = 40;

    /// <summary>Largest value kept without clamping.</summary>
    public const long MaxTrackableValue = (1L << (MaxExponent + 1)) - 1;

    /// <summary>Number of buckets: the exact ones, then 128 per power of two from 2^8 to 2^40.</summary>
    public const int BucketCount = ExactLimit + (MaxExponent - SubBucketBits) * SubBucketCount;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Number of recorded values.</summary>
    public long Count { get; private set; }

    /// <summary>Exact sum of the recorded values (for an exact mean).</summary>
    public long Sum { get; private set; }

    /// <summary>Exact smallest recorded value; 0 when empty.</summary>
    public long Min { get; private set; }

    /// <summary>Exact largest recorded value; 0 when empty.</summary>
    public long Max { get; private set; }

    /// <summary>Exact mean; 0 when empty.</summary>
    public double Mean => Count == 0 ? 0 : (double)Sum / Count;

    /// <summary>Records one value; negative values count as 0, values above <see cref="MaxTrackableValue"/> are clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(long value)
    {
        value = Math.Clamp(value, 0, MaxTrackableValue);
        _counts[BucketIndex(value)]++;
        Min = Count == 0 ? value : Math.Min(Min, value);
        Max = Math.Max(Max, value);
        Count++;
        Sum += value;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0..100): the smallest recorded value such that at least
    /// that share of values is at or below it, within 0.4 %; never above <see cref="Max"/>. 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0) return 0;
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile is between 0 and 100");
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        if (rank >= Count) return Max;
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Clamp(RepresentativeValue(i), Min, Max);
        }
        return Max;
    }

    /// <summary>Index of the bucket holding <paramref name="value"/> (0 ≤ value ≤ <see cref="MaxTrackableValue"/>).</summary>
    public static int BucketIndex(long value)
    {
        if (value < ExactLimit) return (int)value;
        int exponent = 63 - BitOperations.LeadingZeroCount((ulong)value); // ≥ 8
        int shift = exponent - SubBucketBits;
        int subBucket = (int)(value >> shift) - SubBucketCount;         // 0..127
        return ExactLimit + (exponent - SubBucketBits - 1) * SubBucketCount + subBucket;
    }

    /// <summary>Lowest value that falls in bucket <paramref name="index"/>.</summary>
    public static long LowestValue(int index)
    {
        if (index < ExactLimit) return index;
        int octave = (index - ExactLimit) / SubBucketCount;             // 0 for [256, 512)
        int subBucket = (index - ExactLimit) % SubBucketCount;
        int shift = octave + 1;
        return (long)(SubBucketCount + subBucket) << shift;
    }

    /// <summary>The middle of bucket <paramref name="index"/>: what a percentile in that bucket reports.</summary>
    public static long RepresentativeValue(int index)
    {
        if (index < ExactLimit) return index;
        long width = LowestValue(index + 1) - LowestValue(index);
        return LowestValue(index) + (width - 1) / 2;
    }
}
