using System.Globalization;
using System.Text.RegularExpressions;
using Lameduck.Cli.Tests.Verify.Support;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>
/// A report page after its script ran in headless Chromium, read back through the <c>data-*</c> attributes the
/// script writes on what it drew (lanes, marks, windows, bars, badges). Parsing is by start tag: every element
/// the tests look at carries what they need in its own attributes.
/// </summary>
internal sealed partial class RenderedPage
{
    private RenderedPage(string dom) => Dom = dom;

    /// <summary>The DOM as Chromium serialised it.</summary>
    public string Dom { get; }

    public static async Task<RenderedPage> RenderAsync(string htmlPath, string scratchDirectory)
    {
        var dom = await HeadlessChromium.DumpDomAsync(htmlPath, scratchDirectory);
        Assert.Contains("data-rendered=\"true\"", dom); // the script ran to its end
        return new RenderedPage(dom);
    }

    /// <summary>The chart section of one run (<c>&lt;section class="run" data-run="..."&gt;</c>).</summary>
    public RenderedPage Run(string name)
    {
        var start = Dom.IndexOf($"<section class=\"run\" data-run=\"{name}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has no section for the run '{name}'");
        var end = Dom.IndexOf("</section>", start, StringComparison.Ordinal);
        return new RenderedPage(Dom[start..end]);
    }

    /// <summary>The inside of the element with this id (up to its closing tag; for elements that do not nest their own tag).</summary>
    public string Inner(string tag, string id)
    {
        var start = Dom.IndexOf($"<{tag} id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has no <{tag} id=\"{id}\">");
        return Dom[start..Dom.IndexOf($"</{tag}>", start, StringComparison.Ordinal)];
    }

    /// <summary>Every element whose class list holds <paramref name="cssClass"/>, in document order.</summary>
    public IReadOnlyList<Element> WithClass(string cssClass) =>
        [.. StartTag().Matches(Dom).Select(Element.Parse).Where(e => e.Has("class") && e["class"].Split(' ').Contains(cssClass))];

    /// <summary>Every element that has the attribute <paramref name="name"/>.</summary>
    public IReadOnlyList<Element> WithAttribute(string name) => [.. StartTag().Matches(Dom).Select(Element.Parse).Where(e => e.Has(name))];

    /// <summary>The element with this id.</summary>
    public Element ById(string id) => WithAttribute("id").SingleOrDefault(e => e["id"] == id) ?? throw new Xunit.Sdk.XunitException($"no element with id '{id}'");

    [GeneratedRegex("<([a-zA-Z]+)((?:\\s+[a-zA-Z0-9:-]+(?:=\"[^\"]*\")?)*)\\s*/?>")]
    private static partial Regex StartTag();

    /// <summary>A start tag and its attributes.</summary>
    internal sealed partial record Element(string Tag, IReadOnlyDictionary<string, string> Attributes)
    {
        public string this[string name] => Attributes.TryGetValue(name, out var v) ? v : throw new Xunit.Sdk.XunitException($"<{Tag}> has no {name}: {string.Join(' ', Attributes)}");

        public bool Has(string name) => Attributes.ContainsKey(name);

        public double Number(string name) => double.Parse(this[name], CultureInfo.InvariantCulture);

        /// <summary>X of <c>transform="translate(X,Y)"</c>.</summary>
        public double TranslateX => double.Parse(Translate().Match(this["transform"]).Groups[1].Value, CultureInfo.InvariantCulture);

        /// <summary>Y of <c>transform="translate(X,Y)"</c>.</summary>
        public double TranslateY => double.Parse(Translate().Match(this["transform"]).Groups[2].Value, CultureInfo.InvariantCulture);

        public static Element Parse(Match m) => new(m.Groups[1].Value,
            Attribute().Matches(m.Groups[2].Value).ToDictionary(a => a.Groups[1].Value, a => System.Net.WebUtility.HtmlDecode(a.Groups[2].Value)));

        [GeneratedRegex("([a-zA-Z0-9:-]+)=\"([^\"]*)\"")]
        private static partial Regex Attribute();

        [GeneratedRegex(@"translate\(([-0-9.]+),([-0-9.]+)\)")]
        private static partial Regex Translate();
    }

    /// <summary>The time axis a chart published: seconds → pixels, as the page maps them.</summary>
    internal sealed record Axis(double T0, double T1, double PlotX, double PlotWidth)
    {
        public static Axis Of(Element chart) => new(chart.Number("data-t0"), chart.Number("data-t1"), chart.Number("data-plot-x"), chart.Number("data-plot-width"));

        public double X(double seconds) => PlotX + PlotWidth * (seconds - T0) / (T1 - T0);
    }
}
