using System.Text.Json.Nodes;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Metrics;

namespace Lameduck.Cli.Verify.Reports.Html;

/// <summary>
/// One run drawn on a report page: its chart (requests per bucket by outcome, errors on a strip of their own,
/// p99 latency, numbered markers), optional lanes under the chart on the same time axis, and tables.
/// </summary>
/// <param name="Load">What the load measured.</param>
/// <param name="Report">The run's JSON report; the page embeds it and shows its load figures.</param>
/// <example>
/// <code>
/// var run = new HtmlRun(result, JsonReport.ToJson(result)) { Name = "baseline", Lanes = lanes };
/// HtmlPage.Write(output, "lameduck lab: baseline", [run]);
/// </code>
/// </example>
public sealed record HtmlRun(LoadResult Load, JsonObject Report)
{
    /// <summary>The run's heading when a page holds several runs (and its <c>data-run</c>); null for verify's single run.</summary>
    public string? Name { get; init; }

    /// <summary>Thin numbered markers on the chart; null means the load's own events.</summary>
    public IReadOnlyList<HtmlMarker>? Markers { get; init; }

    /// <summary>The run's full event list (folded under its details) when it holds more than the markers; null for none.</summary>
    public IReadOnlyList<HtmlMarker>? Events { get; init; }

    /// <summary>Lanes under the chart (the lab's replicas); none for verify.</summary>
    public IReadOnlyList<HtmlLane> Lanes { get; init; } = [];

    /// <summary>Tables shown with the run's details, before its load figures.</summary>
    public IReadOnlyList<HtmlTable> Tables { get; init; } = [];

    /// <summary>Fields of <see cref="Report"/> that <see cref="Tables"/> already show: left out of the list of other fields.</summary>
    public IReadOnlyList<string> Covered { get; init; } = [];

    internal JsonObject ToJson()
    {
        var timeline = Load.Summary.Timeline;
        var series = new JsonArray();
        foreach (var (outcome, counts) in timeline.CountsByOutcome())
        {
            series.Add(new JsonObject
            {
                ["outcome"] = outcome,
                ["error"] = !Timeline.IsSuccess(outcome),
                ["counts"] = new JsonArray([.. counts.Select(c => (JsonNode)c)]),
            });
        }
        var markers = Markers ?? [.. Load.Events.Select(e => new HtmlMarker(Math.Round(e.AtSeconds, 6), e.Name, e.Detail))];
        return new JsonObject
        {
            ["name"] = Name,
            ["bucket_ms"] = Timeline.BucketUs / 1000,
            ["series"] = series,
            ["p99_ms_by_second"] = new JsonArray([.. timeline.P99MsBySecond().Select(v => (JsonNode?)v)]),
            ["markers"] = new JsonArray([.. markers.Select(m => (JsonNode)m.ToJson())]),
            ["events"] = Events is null ? null : new JsonArray([.. Events.Select(m => (JsonNode)m.ToJson())]),
            ["lanes"] = new JsonArray([.. Lanes.Select(l => (JsonNode)l.ToJson())]),
            ["tables"] = new JsonArray([.. Tables.Select(t => (JsonNode)t.ToJson())]),
            ["covered"] = new JsonArray([.. Covered.Select(c => (JsonNode)c)]),
            ["report"] = Report.DeepClone(),
        };
    }
}
