using System.Text.Json.Nodes;

namespace Lameduck.Cli.Verify.Reports.Html;

/// <summary>
/// A lane under a run's chart, on the chart's time axis: the life of one thing (the lab draws one per replica)
/// as a bar built from its marks. The page knows these mark kinds: <c>started</c>, <c>ready</c>, <c>not-ready</c>,
/// <c>endpoint-added</c>, <c>terminating</c>, <c>endpoint-removed</c>, <c>prestop-done</c>, <c>signal</c>,
/// <c>killed</c>, <c>exited</c>; it draws the bar (starting → ready → terminating → exited), the time in the
/// ingress (endpoint added → removed), and shades terminating → endpoint removed, signal → exit, and exit →
/// endpoint removed when the process was gone while still routed. A mark of another kind (a session ending, say)
/// is drawn as a plain tick with its label on hover, so callers can add kinds without changing the page.
/// </summary>
/// <param name="Name">The lane's label, e.g. <c>r2</c>.</param>
/// <param name="Marks">Its marks, in time order.</param>
/// <example>
/// <code>
/// var lane = new HtmlLane("r1", [new("started", -0.6, "r1 started", "port 40121"), new("terminating", 2.6, "r1 terminating", null)]);
/// </code>
/// </example>
public sealed record HtmlLane(string Name, IReadOnlyList<HtmlLaneMark> Marks)
{
    internal JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["marks"] = new JsonArray([.. Marks.Select(m => (JsonNode)m.ToJson())]),
    };
}

/// <summary>One moment of a <see cref="HtmlLane"/>.</summary>
/// <param name="Kind">What happened (see <see cref="HtmlLane"/> for the kinds the page draws specially).</param>
/// <param name="AtSeconds">Seconds since the load's t0, the chart's clock.</param>
/// <param name="Label">Text on hover, e.g. <c>r1 SIGTERM</c>.</param>
/// <param name="Detail">More text on hover, or null.</param>
public sealed record HtmlLaneMark(string Kind, double AtSeconds, string Label, string? Detail)
{
    /// <summary>A few characters written next to the mark (an exit code), or null.</summary>
    public string? Tag { get; init; }

    internal JsonObject ToJson() => new()
    {
        ["kind"] = Kind,
        ["at_s"] = AtSeconds,
        ["label"] = Label,
        ["detail"] = Detail,
        ["tag"] = Tag,
    };
}
