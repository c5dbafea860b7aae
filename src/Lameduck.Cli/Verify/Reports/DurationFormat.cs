using System.Globalization;

namespace Lameduck.Cli.Verify.Reports;

/// <summary>Durations for humans, the way vegeta (Go's time.Duration) prints them: 812µs, 1.234ms, 5.002s, 1m30s.</summary>
public static class DurationFormat
{
    /// <summary>Formats <paramref name="milliseconds"/>.</summary>
    public static string Ms(double milliseconds)
    {
        var ms = Math.Max(0, milliseconds);
        if (ms == 0) return "0s";
        if (ms < 1) return (ms * 1000).ToString("0.###", CultureInfo.InvariantCulture) + "µs";
        if (ms < 1000) return ms.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        var seconds = ms / 1000;
        if (seconds < 60) return seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        var minutes = Math.Floor(seconds / 60);
        return minutes.ToString(CultureInfo.InvariantCulture) + "m" + (seconds - minutes * 60).ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }

    /// <summary>Formats <paramref name="seconds"/>.</summary>
    public static string Seconds(double seconds) => Ms(seconds * 1000);
}
