using Lameduck.Text;

namespace Lameduck.Cli.Tests.Common;

public class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("30", 30_000)]
    [InlineData("0.25", 250)]
    [InlineData(" 2s ", 2000)]
    public void Parses_typed_durations(string text, double expectedMs)
    {
        Assert.True(DurationText.TryParse(text, out var value, out var error), error);
        Assert.Equal(expectedMs, value.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("5x", "unknown unit 'x'")]
    [InlineData("s", "not a duration")]
    [InlineData("-1s", "not a duration")]
    [InlineData("-3", "negative")]
    [InlineData("1.2.3s", "not a number")]
    public void Rejects_malformed_durations_with_a_reason(string text, string reasonPart)
    {
        Assert.False(DurationText.TryParse(text, out _, out var error));
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5000, "5s")]
    [InlineData(1500, "1.5s")]
    [InlineData(250, "250ms")]
    [InlineData(120_000, "2m")]
    [InlineData(0, "0s")]
    public void Formats_as_typed(double ms, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(ms)));
}
