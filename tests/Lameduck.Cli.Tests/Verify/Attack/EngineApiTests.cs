using System.Text.Json.Nodes;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Reports;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Tests.Verify.Attack;

/// <summary>What the lab builds on: events from the caller, a completion gate, extra JSON fields and text lines.</summary>
[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class EngineApiTests
{
    [Fact]
    public async Task A_caller_adds_events_during_the_run_and_before_completion_and_they_reach_every_report()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        using var dir = new TempDirectory();
        await using var generator = new LoadGenerator(new LoadOptions
        {
            Target = server.Url, Rate = 100, Duration = TimeSpan.FromSeconds(1), ResultsPath = dir.File("results.csv"),
        });
        generator.BeforeCompletion(() =>
        {
            generator.Events.Add("rollout done", "3 replicas");
            return Task.CompletedTask;
        });
        var run = generator.RunAsync();
        while (generator.Progress().Completed < 30) await Task.Delay(10);
        generator.Events.Add("SIGTERM sent", "pid 42");
        var result = await run;

        Assert.Equal(["SIGTERM sent", "rollout done"], result.Events.Select(e => e.Name));
        Assert.InRange(result.Events[0].AtSeconds, 0.25, 1.0);
        Assert.True(result.Events[1].AtSeconds >= result.Events[0].AtSeconds);

        var fromFile = ResultsCsvReader.Read(dir.File("results.csv"), (in RequestResult _) => { });
        Assert.Equal(result.Events, fromFile.Events);

        var json = JsonReport.ToJson(result, [new("app", "hello"), new("replicas", 3), new("rollout_s", 12.5),
            new("terminations", new JsonArray(new JsonObject { ["sigterm_to_exit_s"] = 5.1, ["killed"] = false }))]);
        Assert.Equal("hello", (string)json["app"]!);
        Assert.Equal(100, (long)json["requests"]!);
        Assert.Equal("pid 42", (string)json["events"]![0]!["detail"]!);
        Assert.Throws<ArgumentException>(() => JsonReport.ToJson(result, [new("requests", 1)]));

        var text = new StringWriter();
        TextReport.Write(result, text, [("Rollout       [wall time]", "12.5s")]);
        Assert.Contains("Rollout       [wall time]", text.ToString());
        Assert.Contains("SIGTERM sent  pid 42", text.ToString());
    }

    [Fact]
    public async Task Invalid_options_are_rejected_before_anything_is_sent()
    {
        var target = new Uri("http://127.0.0.1:9/");
        Assert.Throws<ArgumentException>(() => new LoadGenerator(new LoadOptions { Target = target, Rate = 0 }));
        Assert.Throws<ArgumentException>(() => new LoadGenerator(new LoadOptions { Target = target, Duration = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new LoadGenerator(new LoadOptions { Target = new Uri("ftp://x/") }));
        await using var generator = new LoadGenerator(new LoadOptions { Target = target, Rate = 1, Duration = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMilliseconds(200) });
        await generator.RunAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => generator.RunAsync());
    }
}
