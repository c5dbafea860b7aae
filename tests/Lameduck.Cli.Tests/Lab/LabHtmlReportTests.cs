using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lameduck.Cli.Lab;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Reports;
using Lameduck.Cli.Lab.Rollout;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Metrics;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>
/// The lab's HTML report rendered in headless Chromium and read back from the <c>data-*</c> attributes its script
/// writes on what it drew: a lane per replica with the termination's marks at the JSON's times and pixels, the
/// windows of the race, every error drawn, both runs of <c>--sample both</c> on one page.
/// </summary>
[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed partial class LabHtmlReportTests
{
    /// <summary>
    /// A drawn mark may differ from the JSON's time by the 2-decimal rounding of its pixel positions (a window's x
    /// and width are rounded apart); 0.02 px is 0.1 ms on these charts, far below the milliseconds a mark at the
    /// wrong event would be off by.
    /// </summary>
    private const double PixelTolerance = 0.02;

    [Fact]
    public async Task Sample_both_draws_both_runs_on_one_page_with_a_lane_per_replica_at_the_JSON_times_and_every_error()
    {
        using var dir = new LabTempDir();
        var html = Path.Combine(dir.Path, "lab.html");
        // Behind the default l7 ingress the baseline drops the requests sent to each old pod while its endpoint is still
        // routed (LabEndToEndTests), so the page has errors to draw; Lameduck's 3 s window covers the 2 s propagation.
        // The propagation is that long so the drops are certain: the baseline stops listening within milliseconds of
        // SIGTERM on an idle machine, but with 0.5 s a run beside other tests once dropped nothing (run 71): the old
        // pods' unbind, or the load's sends, came after their endpoints had gone. Both pods go at once (--max-surge 2),
        // which keeps the run short: 2 s of 100 req/s to the two old pods, about 200 drops.
        var run = LabCli.Run(["--sample", "both", "--replicas", "2", "--max-surge", "2", "--rate", "200", "--duration", "6s", "--rollout-at", "1s",
            "--propagation", "2s", "--readiness-period", "0.5s", "--env", "Lameduck__Delay=00:00:03",
            "--output", "json", "--report", html]);
        await run.AssertNothingLeftAsync();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(Path.Combine(dir.Path, "lab.baseline.html")), "--sample both writes one page, not one per run");
        Assert.True((long)run.Json["baseline"]!["errors"]! > 0, "the baseline must drop requests for this test to check how errors are drawn\n" + run);

        var page = await RenderedPage.RenderAsync(html, dir.Path);
        Assert.DoesNotMatch("<text[^>]*transform=", page.Dom); // no rotated labels piled on each other
        Assert.DoesNotContain("https://", File.ReadAllText(html));
        Assert.Matches("<th>baseline</th><th>lameduck</th>", page.Inner("table", "comparison")); // the before/after table
        RenderedPage.Axis? first = null;
        foreach (var app in new[] { "baseline", "lameduck" })
        {
            var json = run.Json[app]!.AsObject();
            var section = page.Run(app);
            var chart = section.ById("chart-" + app);
            var axis = RenderedPage.Axis.Of(chart);
            first ??= axis;
            Assert.Equal(first, axis); // one time axis for both runs
            AssertErrorsDrawn(page, section, chart, json);
            AssertLanes(section, axis, json);
            AssertMarkers(section, axis, json);
            AssertTerminationsTable(page, app, json);
            AssertOneClock(json);
        }
    }

    [Fact]
    public async Task A_killed_pod_its_preStop_an_unready_spell_and_pods_still_running_are_drawn_from_the_events()
    {
        using var dir = new LabTempDir();
        var html = Path.Combine(dir.Path, "lab.html");
        // 10 requests of the 50 due at 3.0-3.5 s answered 502.
        var run = ScriptedRun(TimeSpan.FromSeconds(10), rate: 100, failsAtUs: us => us is >= 3_000_000 and < 3_500_000 && us % 50_000 == 0);
        await using (var file = File.CreateText(html)) LabHtmlReport.Write([run], file);

        var page = await RenderedPage.RenderAsync(html, dir.Path);
        var section = page.Run("scripted");
        var chart = section.ById("chart"); // a page with one run keeps verify's id
        var axis = RenderedPage.Axis.Of(chart);
        Assert.Equal(["r1", "r2", "r3"], section.WithClass("lane").Select(l => l["data-lane"]));

        // r1: preStop 1 s, the stop signal, SIGKILL at the grace period, exit 137; its endpoint went before the exit.
        AssertMark(section, axis, "r1", "prestop-done", 4.0);
        AssertMark(section, axis, "r1", "signal", 4.0);
        AssertMark(section, axis, "r1", "killed", 6.0);
        Assert.Equal("137", AssertMark(section, axis, "r1", "exited", 6.01)["data-tag"]);
        AssertWindow(section, axis, "r1", "propagation", 3.0, 5.0);
        AssertWindow(section, axis, "r1", "signal-to-exit", 4.0, 6.01);
        Assert.DoesNotContain(section.WithClass("window"), w => w["data-window"] == "routed-after-exit");
        Assert.Contains("yes, SIGKILL", page.Inner("table", "terminations-scripted"));

        // r2 left the ingress while unready and came back: two spells in the ingress, the second open at the end.
        AssertMark(section, axis, "r2", "not-ready", 2.0);
        var routed = section.WithClass("routed").Where(r => r["data-lane"] == "r2").ToArray();
        Assert.Equal(2, routed.Length);
        Assert.Equal((0.71, 2.5), (routed[0].Number("data-from-s"), routed[0].Number("data-to-s")));
        Assert.Equal((2.81, axis.T1), (routed[1].Number("data-from-s"), routed[1].Number("data-to-s")));
        Assert.Equal(["false", "true", "true"], section.WithClass("lane").Select(l => l["data-running-at-end"]));

        // The 502s of the scripted load, on their strip and in the headline.
        Assert.Equal(10, section.WithClass("error-bar").Sum(r => (long)r.Number("data-count")));
        Assert.Equal("10", page.WithClass("count").Single()["data-errors"]);
    }

    [Fact]
    public async Task A_ten_minute_run_at_1000_requests_per_second_makes_a_small_page_with_at_most_one_column_per_pixel()
    {
        using var dir = new LabTempDir();
        var html = Path.Combine(dir.Path, "lab.html");
        // One 502 a minute (at 30 s, 90 s, ...: 10 errors, each alone in its column) and a burst of 200 at 300.0-300.2 s.
        var run = ScriptedRun(TimeSpan.FromMinutes(10), rate: 1000,
            failsAtUs: us => us % 60_000_000 == 30_000_000 || us is >= 300_000_000 and < 300_200_000);
        await using (var file = File.CreateText(html)) LabHtmlReport.Write([run], file);

        // The page holds counts per 100 ms, not requests: 600,000 requests make about 60 KB of data. The bound is
        // loose for that and far below what a page with one number per request would weigh (megabytes).
        Assert.InRange(new FileInfo(html).Length, 1, 250_000);
        var page = await RenderedPage.RenderAsync(html, dir.Path);
        var chart = page.Run("scripted").ById("chart");
        Assert.Equal(6000, (int)chart.Number("data-buckets"));
        Assert.Equal(600_000, (long)chart.Number("data-drawn"));
        var columns = page.WithAttribute("data-outcome").Where(r => !IsErrorBar(r) && r["data-outcome"] == "2xx").ToArray();
        Assert.InRange(columns.Length, 1, chart.Number("data-plot-width")); // merged: at most one column per pixel
        Assert.Equal(600_000 - 210, columns.Sum(c => (long)c.Number("data-count")));
        // Every error drawn, and a single error beside a burst of 200 still at least 2 px tall: visible at a glance.
        var errorBars = page.WithClass("error-bar").ToArray();
        Assert.Equal(210, errorBars.Sum(bar => (long)bar.Number("data-count")));
        Assert.Equal(10, errorBars.Count(bar => bar.Number("data-count") == 1));
        Assert.All(errorBars, bar => Assert.True(bar.Number("height") >= 2, $"an error bar of {bar["data-count"]} is {bar["height"]} px tall"));
    }

    private static void AssertErrorsDrawn(RenderedPage page, RenderedPage section, RenderedPage.Element chart, JsonObject json)
    {
        var errors = (long)json["errors"]!;
        var app = (string)json["app"]!;
        var headline = page.WithClass("count").Single(c => c["data-run"] == app);
        Assert.Equal(errors, long.Parse(headline["data-errors"], CultureInfo.InvariantCulture));
        Assert.Matches($"data-run=\"{app}\" data-errors=\"{errors}\">{errors:#,0}</span>", page.Dom);
        // Summed from the bars themselves, not from a figure the script computed beside them.
        Assert.Equal(errors, section.WithClass("error-bar").Sum(r => (long)r.Number("data-count")));
        Assert.Equal(errors, (long)chart.Number("data-errors-drawn"));
        var stacked = section.WithAttribute("data-outcome").Where(r => !IsErrorBar(r)).ToArray();
        Assert.Equal((long)json["requests"]!, stacked.Sum(r => (long)r.Number("data-count")));
        Assert.Equal(errors, stacked.Where(r => r["data-outcome"] is not ("2xx" or "3xx")).Sum(r => (long)r.Number("data-count")));
    }

    private static void AssertLanes(RenderedPage section, RenderedPage.Axis axis, JsonObject json)
    {
        // One lane per replica that existed, in the order they started.
        var replicas = json["lab_events"]!.AsArray().Select(e => ReplicaStarted().Match((string)e!["name"]!)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToArray();
        Assert.True(replicas.Length == 4, "2 old and 2 new replicas: " + string.Join(", ", replicas));
        Assert.Equal(replicas, section.WithClass("lane").Select(l => l["data-lane"]));

        var terminations = json["terminations"]!.AsArray();
        Assert.Equal(2, terminations.Count);
        foreach (var t in terminations)
        {
            var replica = (string)t!["replica"]!;
            double terminating = (double)t["terminating_at_s"]!, removed = (double)t["endpoint_removed_at_s"]!;
            double signal = (double)t["signal_sent_at_s"]!, exited = (double)t["exited_at_s"]!;
            AssertMark(section, axis, replica, "terminating", terminating);
            AssertMark(section, axis, replica, "endpoint-removed", removed);
            AssertMark(section, axis, replica, "signal", signal);
            Assert.Equal(((int)t["exit_code"]!).ToString(CultureInfo.InvariantCulture), AssertMark(section, axis, replica, "exited", exited)["data-tag"]);
            AssertWindow(section, axis, replica, "propagation", terminating, removed);
            AssertWindow(section, axis, replica, "signal-to-exit", signal, exited);
            // The loss: drawn exactly when the JSON says the process exited while its endpoint was still in the ingress.
            var lost = section.WithClass("window").Where(w => w["data-lane"] == replica && w["data-window"] == "routed-after-exit").ToArray();
            if (removed > exited) AssertWindow(section, axis, replica, "routed-after-exit", exited, removed);
            else Assert.Empty(lost);
        }
    }

    private static void AssertMarkers(RenderedPage section, RenderedPage.Axis axis, JsonObject json)
    {
        // Events that are not about a replica are numbered markers; the replicas' are on their lanes.
        var expected = json["lab_events"]!.AsArray().Where(e => (string)e!["name"]! is "ingress started" or "load started" or "rollout started" or "rollout done" or "load done").ToArray();
        Assert.Equal(5, expected.Length);
        var lines = section.WithAttribute("data-event").ToArray();
        Assert.Equal(expected.Select(e => (string)e!["name"]!), lines.Select(l => l["data-event"]));
        var badges = section.WithClass("badge").ToArray();
        Assert.Equal(expected.Select(e => (double)e!["at_s"]!), badges.Select(b => b.Number("data-at-s")));
        foreach (var (badge, e) in badges.Zip(expected))
            Assert.InRange(badge.TranslateX, axis.X((double)e!["at_s"]!) - PixelTolerance, axis.X((double)e["at_s"]!) + PixelTolerance);
        // No badge covers another (radius 8).
        for (int i = 0; i < badges.Length; i++)
            for (int j = i + 1; j < badges.Length; j++)
                Assert.True(Math.Abs(badges[i].TranslateX - badges[j].TranslateX) >= 16 || Math.Abs(badges[i].TranslateY - badges[j].TranslateY) >= 16,
                    $"badges {i + 1} and {j + 1} overlap");
    }

    /// <summary>
    /// The lanes are drawn over the requests: the lab's times must be on the load's clock (t0 = first request due),
    /// as the markers of the load's own event list are, not on the lab's "load" event some tens of ms earlier.
    /// </summary>
    private static void AssertOneClock(JsonObject json)
    {
        var loadEvents = json["events"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (double)e!["at_s"]!);
        foreach (var t in json["terminations"]!.AsArray())
        {
            var replica = (string)t!["replica"]!;
            // 3 ms: the lab rounds to the millisecond, the load's list to the microsecond, and the two clocks are read one after
            // the other (a preemption between them on a busy machine); without the alignment, 34-47 ms here.
            Assert.InRange((double)t["terminating_at_s"]! - loadEvents[replica + " terminating"], -0.003, 0.003);
            Assert.InRange((double)t["exited_at_s"]! - loadEvents[replica + " exited"], -0.003, 0.003);
        }
    }

    private static void AssertTerminationsTable(RenderedPage page, string app, JsonObject json)
    {
        var table = page.Inner("table", "terminations-" + app);
        var terminations = json["terminations"]!.AsArray();
        Assert.Equal(terminations.Count, Regex.Count(table, "<tr>") - 1); // minus the heading row
        var stillRouted = terminations.Count(t => (double)t!["endpoint_removed_at_s"]! > (double)t["exited_at_s"]!);
        Assert.Equal(stillRouted, Regex.Count(table, "after exit: still routed"));
        foreach (var t in terminations) Assert.Contains($"<td>{(string)t!["replica"]!}</td>", table);
    }

    /// <summary>A bar of the error strip (the stacked chart's bars have no class).</summary>
    private static bool IsErrorBar(RenderedPage.Element e) => e.Has("class") && e["class"] == "error-bar";

    private static RenderedPage.Element AssertMark(RenderedPage section, RenderedPage.Axis axis, string lane, string kind, double atSeconds)
    {
        var marks = section.WithClass("mark").Where(m => m["data-lane"] == lane && m["data-mark"] == kind).ToArray();
        var mark = marks.FirstOrDefault(m => m.Number("data-at-s") == atSeconds);
        Assert.True(mark is not null, $"{lane} has no '{kind}' mark at {atSeconds} s (it has: {string.Join(", ", marks.Select(m => m["data-at-s"]))})");
        Assert.InRange(mark.TranslateX, axis.X(atSeconds) - PixelTolerance, axis.X(atSeconds) + PixelTolerance);
        return mark;
    }

    private static void AssertWindow(RenderedPage section, RenderedPage.Axis axis, string lane, string window, double from, double to)
    {
        var drawn = section.WithClass("window").Where(w => w["data-lane"] == lane && w["data-window"] == window).ToArray();
        var match = drawn.SingleOrDefault(w => w.Number("data-from-s") == from && w.Number("data-to-s") == to);
        Assert.True(match is not null, $"{lane} has no '{window}' window {from}..{to} s (it has: {string.Join(", ", drawn.Select(w => w["data-from-s"] + ".." + w["data-to-s"]))})");
        Assert.InRange(match.Number("x"), axis.X(from) - PixelTolerance, axis.X(from) + PixelTolerance);
        Assert.InRange(match.Number("x") + match.Number("width"), axis.X(to) - PixelTolerance, Math.Max(axis.X(to), axis.X(from) + 1) + PixelTolerance);
    }

    /// <summary>
    /// A lab run made of scripted events and requests (no process): r1 and r2 old, r3 new; r1 runs a 1 s preStop,
    /// ignores the signal and is killed at its 3 s grace period; r2 goes unready once and comes back; r2 and r3
    /// still run when the lab ends. The requests due when <paramref name="failsAtUs"/> says so are answered 502.
    /// Times are on the load's clock.
    /// </summary>
    private static LabRun ScriptedRun(TimeSpan duration, double rate, Func<long, bool> failsAtUs)
    {
        var loadStart = TimeSpan.FromSeconds(1);
        TimeSpan At(double seconds) => loadStart + TimeSpan.FromSeconds(seconds);
        LabEvent E(double seconds, LabEventKind kind, string subject, string detail = "") => new(At(seconds), kind, subject, detail);
        LabEvent[] events =
        [
            E(-0.9, LabEventKind.IngressStarted, "ingress", "kube-proxy"),
            E(-0.8, LabEventKind.ReplicaStarted, "r1", "port 40001 pid 1"), E(-0.8, LabEventKind.ReplicaStarted, "r2", "port 40002 pid 2"),
            E(-0.2, LabEventKind.Ready, "r1"), E(-0.19, LabEventKind.EndpointAdded, "r1", "port 40001"),
            E(0.7, LabEventKind.Ready, "r2"), E(0.71, LabEventKind.EndpointAdded, "r2", "port 40002"),
            E(2.0, LabEventKind.NotReady, "r2"), E(2.5, LabEventKind.EndpointRemoved, "r2", "unready"),
            E(2.5, LabEventKind.RolloutStarted, "rollout"), E(2.5, LabEventKind.ReplicaStarted, "r3", "port 40003 pid 3"),
            E(2.8, LabEventKind.Ready, "r2"), E(2.81, LabEventKind.EndpointAdded, "r2", "port 40002"),
            E(2.9, LabEventKind.Ready, "r3"), E(2.91, LabEventKind.EndpointAdded, "r3", "port 40003"),
            E(3.0, LabEventKind.Terminating, "r1", "grace 3s"), E(4.0, LabEventKind.PreStopDone, "r1", "sleep 1s"),
            E(4.0, LabEventKind.SignalSent, "r1", "SIGTERM"), E(5.0, LabEventKind.EndpointRemoved, "r1", "port 40001"),
            E(6.0, LabEventKind.Killed, "r1", "SIGKILL: grace period of 3s over"), E(6.01, LabEventKind.Exited, "r1", "code 137"),
            E(6.02, LabEventKind.RolloutDone, "rollout"),
        ];
        var termination = new Termination("r1", 40001, TimeSpan.FromSeconds(2), At(3.0), At(5.0), At(4.0), At(4.0), At(6.01), 137, Killed: true);
        var lab = new LabResult("kube-proxy", new RolloutResult(At(2.5), TimeSpan.FromSeconds(3.52), [termination], null), events, loadStart, false, [], [], []);

        var metrics = new MetricsAccumulator();
        long count = (long)(duration.TotalSeconds * rate);
        for (long i = 0; i < count; i++)
        {
            long us = (long)(i * 1_000_000 / rate);
            metrics.Add(new RequestResult(i, us, us, us + 800, failsAtUs(us) ? 502 : 200, ErrorClass.None, 0, 12));
        }
        var load = new LoadResult(new RunInfo
        {
            Target = "http://127.0.0.1:9/", TargetRate = rate, TargetDuration = duration, StartedUtc = DateTimeOffset.UnixEpoch,
            AttackDurationUs = (long)duration.TotalMicroseconds,
        }, metrics.Summarize((long)duration.TotalMicroseconds), []);
        var settings = LabFactory.Settings(["scripted-app"], replicas: 2, grace: TimeSpan.FromSeconds(3), preStop: new PreStopHook.Sleep(TimeSpan.FromSeconds(1)),
            rate: rate, durationSeconds: duration.TotalSeconds) with { App = "scripted" };
        return new LabRun(settings, lab, load);
    }

    [GeneratedRegex(@"^(r\d+) started$")]
    private static partial Regex ReplicaStarted();
}
