using Lameduck.Text;

namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>
/// How long the ingress keeps its old view after a pod starts terminating: fixed (<c>2s</c>) or drawn
/// per pod, uniformly, from a range (<c>0.5s..3s</c>) with a seeded generator so runs repeat.
/// </summary>
/// <example><code>var delay = PropagationDelay.Parse("0.5s..3s", seed: 42); TimeSpan d = delay.Next();</code></example>
public sealed class PropagationDelay
{
    private readonly Random _random;

    private PropagationDelay(TimeSpan min, TimeSpan max, int seed)
    {
        Min = min;
        Max = max;
        _random = new Random(seed);
    }

    /// <summary>Lower bound (equal to <see cref="Max"/> when fixed).</summary>
    public TimeSpan Min { get; }

    /// <summary>Upper bound.</summary>
    public TimeSpan Max { get; }

    /// <summary>Parses <c>2s</c> or <c>MIN..MAX</c>.</summary>
    /// <exception cref="FormatException">Not a duration or range; the message says why.</exception>
    public static PropagationDelay Parse(string text, int seed)
    {
        var parts = text.Split("..", 2);
        var min = DurationText.Parse(parts[0]);
        var max = parts.Length == 2 ? DurationText.Parse(parts[1]) : min;
        if (max < min) throw new FormatException($"'{text}': the range's upper bound is below its lower bound");
        return new PropagationDelay(min, max, seed);
    }

    /// <summary>The delay for the next pod.</summary>
    public TimeSpan Next()
    {
        if (Max == Min) return Min;
        lock (_random) return Min + (Max - Min) * _random.NextDouble();
    }

    /// <inheritdoc />
    public override string ToString() => Max == Min ? DurationText.Format(Min) : $"{DurationText.Format(Min)}..{DurationText.Format(Max)}";
}
