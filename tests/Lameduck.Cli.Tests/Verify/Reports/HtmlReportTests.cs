using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;

namespace Lameduck.Cli.Tests.Verify.Reports;

[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public partial class HtmlReportTests
{
    [Fact]
    public async Task The_chart_rendered_in_a_browser_shows_the_counts_of_the_run()
    {
        await using var server = new ScriptedHttpServer((arrival, _) =>
            arrival % 13 == 0 ? (Reply.Reset, 0) : arrival % 11 == 0 ? (Reply.Status, 502) : arrival % 7 == 0 ? (Reply.Status, 503) : (Reply.Status, 200));
        using var dir = new TempDirectory();
        var html = dir.File("report.html");
        var run = await CliRunner.RunAsync("verify", server.Url.ToString(), "--rate", "200", "--duration", "2s", "--keep-alive", "false",
            "--output", "json", "--report", html, "--during", "true", "--at", "0.3s", "--during-log", dir.File("during.log"));
        var json = JsonNode.Parse(run.Stdout)!;

        var page = await File.ReadAllTextAsync(html);
        Assert.DoesNotContain("http://", Regex.Replace(page, "http://(www\\.w3\\.org/2000/svg|127\\.0\\.0\\.1:[0-9]+/)", ""));
        Assert.DoesNotContain("https://", page);
        Assert.DoesNotContain("<link", page);
        Assert.DoesNotContain(" src=", page);

        var dom = await HeadlessChromium.DumpDomAsync(html, dir.Path);
        Assert.Contains("data-rendered=\"true\"", dom);
        var chart = ChartElement().Match(dom);
        Assert.True(chart.Success, "the page has no rendered #chart element");
        var attributes = Attribute().Matches(chart.Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.Equal((long)json["requests"]!, long.Parse(attributes["data-total"]));
        Assert.Equal((long)json["requests"]!, long.Parse(attributes["data-drawn"]));
        Assert.Equal((long)json["status_codes"]!["200"]!, long.Parse(attributes["data-count-2xx"]));
        Assert.Equal((long)json["status_codes"]!["503"]!, long.Parse(attributes["data-count-503"]));
        Assert.Equal((long)json["status_codes"]!["502"]!, long.Parse(attributes["data-count-502"]));
        Assert.Equal((long)json["error_set"]!["connection reset"]!, long.Parse(attributes["data-count-connection-reset"]));
        Assert.Equal(server.Count("reset"), long.Parse(attributes["data-count-connection-reset"]));
        Assert.Equal(20, int.Parse(attributes["data-buckets"]));   // 2 s in 100 ms buckets
        Assert.Equal(2, int.Parse(attributes["data-events"]));     // during: start, during: exit
        Assert.Equal(2, Regex.Count(dom, "data-event=\"during: "));
        Assert.Contains("<polyline", dom);                          // the p99 line
    }

    [GeneratedRegex("<div id=\"chart\"[^>]*>")]
    private static partial Regex ChartElement();

    [GeneratedRegex("(data-[a-z0-9-]+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();
}
