using System.Globalization;

namespace Lameduck.Text;

/// <summary>
/// Parses and formats the durations users type on command lines and in pod specs:
/// <c>500ms</c>, <c>5s</c>, <c>1.5s</c>, <c>2m</c>, <c>1m30s</c>, <c>1h</c>, <c>250us</c>; a bare number means seconds.
/// Shared as source by the lameduck CLI and lameduck-init (which cannot take a library dependency:
/// it is a NativeAOT binary with a size budget). Go's <c>time.ParseDuration</c> is the model.
/// </summary>
internal static class DurationText
{
    /// <summary>Parses <paramref name="text"/>; returns false (and a reason) when it is not a duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty duration";
            return false;
        }
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            return Finish(bareSeconds * TimeSpan.TicksPerSecond, text, out value, out error);
        }

        double ticks = 0;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i)
            {
                error = $"'{text}' is not a duration (expected e.g. 500ms, 5s, 1m30s)";
                return false;
            }
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{text}' is not a duration: '{s[start..i]}' is not a number";
                return false;
            }
            int unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            double unitTicks;
            switch (s[unitStart..i])
            {
                case "us": case "µs": unitTicks = TimeSpan.TicksPerMicrosecond; break;
                case "ms": unitTicks = TimeSpan.TicksPerMillisecond; break;
                case "s": unitTicks = TimeSpan.TicksPerSecond; break;
                case "m": unitTicks = TimeSpan.TicksPerMinute; break;
                case "h": unitTicks = TimeSpan.TicksPerHour; break;
                case "":
                    error = $"'{text}' is not a duration: a unit is missing after {s[start..i]} (use us, ms, s, m or h)";
                    return false;
                default:
                    error = $"'{text}' is not a duration: unknown unit '{s[unitStart..i]}' (use us, ms, s, m or h)";
                    return false;
            }
            ticks += number * unitTicks;
        }
        return Finish(ticks, text, out value, out error);
    }

    /// <summary>Parses <paramref name="text"/> or throws a <see cref="FormatException"/> naming what is wrong.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>Formats a duration the way it would be typed: <c>5s</c>, <c>1.5s</c>, <c>250ms</c>, <c>2m</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        if (value.Ticks % TimeSpan.TicksPerMinute == 0 && value.TotalMinutes < 60 * 24 && value >= TimeSpan.FromMinutes(1))
            return value.TotalMinutes.ToString(CultureInfo.InvariantCulture) + "m";
        if (value >= TimeSpan.FromSeconds(1))
            return value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
    }

    private static bool Finish(double ticks, string text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        if (double.IsNaN(ticks) || ticks < 0)
        {
            error = $"'{text}' is not a duration: it must not be negative";
            return false;
        }
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            error = $"'{text}' is too long a duration";
            return false;
        }
        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }
}
