using Lameduck.Cli.Verify.Reports;

namespace Lameduck.Cli.Tests.Verify.Reports;

public class DurationFormatTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(0.512, "512µs")]
    [InlineData(1.2344, "1.234ms")]
    [InlineData(999, "999ms")]
    [InlineData(5002, "5.002s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(-3, "0s")]
    public void Milliseconds_print_like_go_durations(double ms, string expected) => Assert.Equal(expected, DurationFormat.Ms(ms));
}
