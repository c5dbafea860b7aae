using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;

namespace Lameduck.Cli.Tests.Verify.Command;

/// <summary>Bad usage gives a clear error naming what is wrong, no stack trace, and exit code 2; nothing is sent.</summary>
[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class BadInputTests
{
    [Theory]
    [InlineData("not a url", "url: 'not a url' is not an absolute http:// or https:// URL")]
    [InlineData("ftp://127.0.0.1/", "is not an absolute http:// or https:// URL")]
    [InlineData("/relative/path", "is not an absolute http:// or https:// URL")]
    public async Task An_invalid_url_is_rejected(string url, string message)
    {
        var outcome = await CliRunner.RunAsync("verify", url, "--duration", "1s");
        AssertBadUsage(outcome, message);
    }

    [Theory]
    [InlineData(new[] { "--rate", "0" }, "--rate must be a number > 0 (got 0)")]
    [InlineData(new[] { "--rate", "-5" }, "--rate must be a number > 0 (got -5)")]
    [InlineData(new[] { "--rate", "fast" }, "fast")]
    [InlineData(new[] { "--duration", "5x" }, "--duration: '5x' is not a duration: unknown unit 'x'")]
    [InlineData(new[] { "--duration", "0s" }, "--duration must be > 0")]
    [InlineData(new[] { "--timeout", "-1s" }, "--timeout: '-1s' is not a duration")]
    [InlineData(new[] { "--max-p99", "soon" }, "--max-p99: 'soon' is not a duration")]
    [InlineData(new[] { "--output", "yaml" }, "yaml")]
    [InlineData(new[] { "--header", "NoColon" }, "--header: 'NoColon' is not 'Name: value'")]
    [InlineData(new[] { "--body", "@/nonexistent/body.json" }, "--body: cannot read '/nonexistent/body.json'")]
    [InlineData(new[] { "--results", "/nonexistent/dir/results.csv" }, "--results: directory '/nonexistent/dir' does not exist")]
    [InlineData(new[] { "--max-in-flight", "-1" }, "--max-in-flight must be >= 0")]
    [InlineData(new[] { "--frobnicate" }, "--frobnicate")]
    public async Task A_bad_flag_value_or_an_unknown_flag_is_rejected_naming_it(string[] flags, string message)
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        string[] duration = flags.Contains("--duration") ? [] : ["--duration", "1s"];
        var outcome = await CliRunner.RunAsync(["verify", server.Url.ToString(), .. duration, .. flags]);
        AssertBadUsage(outcome, message);
        Assert.Equal(0, server.Arrivals);
    }

    [Fact]
    public async Task An_unreachable_port_is_rejected_before_anything_is_sent()
    {
        var port = ClosedPort.Find();

        var outcome = await CliRunner.RunAsync("verify", $"http://127.0.0.1:{port}/", "--duration", "1s");
        AssertBadUsage(outcome, $"cannot reach 127.0.0.1:{port}: connection refused");
    }

    [Fact]
    public async Task A_results_file_that_is_not_one_is_rejected_with_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.csv");
        await File.WriteAllTextAsync(path, "kind,seq,scheduled_us,sent_us,end_us,status,error,retries,bytes_in,note,detail\nreq,0,zero,1,2,200,,0,12,,\n");
        var outcome = await CliRunner.RunAsync("verify", "report", path);
        AssertBadUsage(outcome, $"{path}:2: scheduled_us is not an integer: 'zero'");

        var missing = await CliRunner.RunAsync("verify", "report", dir.File("missing.csv"));
        AssertBadUsage(missing, "cannot read");
    }

    private static void AssertBadUsage(CliRunner.Outcome outcome, string message)
    {
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.Stderr);
        Assert.Contains("error:", outcome.Stderr);
        Assert.DoesNotContain("   at ", outcome.Stderr); // no stack trace
        Assert.Equal("", outcome.Stdout);
    }
}
