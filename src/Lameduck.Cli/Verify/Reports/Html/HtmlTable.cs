using System.Text.Json.Nodes;

namespace Lameduck.Cli.Verify.Reports.Html;

/// <summary>
/// A table on a report page: with <see cref="Columns"/> a grid (one row per item), without them label/value rows.
/// </summary>
/// <param name="Id">The table element's id (unique on the page; tests find tables by it).</param>
/// <param name="Title">Its caption.</param>
/// <param name="Columns">Column headings, or null for label/value rows (the first cell of each row is the label).</param>
/// <param name="Rows">The cells, row by row.</param>
/// <example>
/// <code>
/// var table = new HtmlTable("settings", "Run", null, [["ingress", "nginx"], ["errors", new HtmlCell("12", Bad: true)]]);
/// </code>
/// </example>
public sealed record HtmlTable(string Id, string Title, IReadOnlyList<string>? Columns, IReadOnlyList<IReadOnlyList<HtmlCell>> Rows)
{
    internal JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["title"] = Title,
        ["columns"] = Columns is null ? null : new JsonArray([.. Columns.Select(c => (JsonNode)c)]),
        ["rows"] = new JsonArray([.. Rows.Select(row => (JsonNode)new JsonArray([.. row.Select(cell => cell.ToJson())]))]),
    };
}

/// <summary>One cell of an <see cref="HtmlTable"/>; <paramref name="Bad"/> draws it in the page's error colour.</summary>
/// <param name="Text">What the cell shows.</param>
/// <param name="Bad">True for a figure that means something went wrong (errors, a kill, a pod gone while routed).</param>
public readonly record struct HtmlCell(string Text, bool Bad = false)
{
    /// <summary>A plain cell.</summary>
    public static implicit operator HtmlCell(string text) => new(text);

    internal JsonNode ToJson() => Bad ? new JsonObject { ["text"] = Text, ["bad"] = true } : JsonValue.Create(Text);
}
