using System.Text.Json.Nodes;

namespace Lameduck.Cli.Verify.Reports.Html;

/// <summary>Something that happened at one moment of a run: a numbered marker on the chart, or a line of its event list.</summary>
/// <param name="AtSeconds">Seconds since the load's t0 (negative before it).</param>
/// <param name="Name">A short label, e.g. <c>rollout started</c>.</param>
/// <param name="Detail">Longer text shown in the list and on hover, or null.</param>
public sealed record HtmlMarker(double AtSeconds, string Name, string? Detail)
{
    internal JsonObject ToJson() => new() { ["at_s"] = AtSeconds, ["name"] = Name, ["detail"] = Detail };
}
