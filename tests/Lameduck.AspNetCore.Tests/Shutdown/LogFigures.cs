using System.Globalization;
using System.Text.RegularExpressions;

namespace Lameduck.AspNetCore.Tests.Shutdown;

/// <summary>Figures Lameduck writes in its log lines (its own clock), e.g. <c>Draining after 1003 ms</c>.</summary>
internal static class LogFigures
{
    /// <summary>The milliseconds that follow <paramref name="label"/> in <paramref name="text"/>; fails the test when absent.</summary>
    public static double Ms(string text, string label)
    {
        var match = Regex.Match(text, Regex.Escape(label) + @" (\d+) ms");
        Assert.True(match.Success, $"no '{label} N ms' in:\n{text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
