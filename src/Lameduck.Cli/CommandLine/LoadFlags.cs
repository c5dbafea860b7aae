using System.CommandLine;
using System.Globalization;

namespace Lameduck.Cli.CommandLine;

/// <summary>
/// The flags <c>verify</c> and <c>lab</c> share, defined once with their defaults and checks, so the two commands
/// spell, default and reject them the same way: <c>--rate</c>, <c>--duration</c>, <c>--timeout</c>, <c>--output</c>.
/// A value that makes no sense is a parse error naming the flag (exit <see cref="ExitCodes.Usage"/>).
/// </summary>
/// <example><code>command.Options.Add(LoadFlags.Rate());</code></example>
internal static class LoadFlags
{
    /// <summary>1,000 requests per second, the write-ups' experiment.</summary>
    public const double DefaultRate = 1000;

    /// <summary>60 s, the write-ups' experiment.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);

    /// <summary>5 s per request.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary><c>--rate</c>: requests per second, open model; must be a finite number above 0.</summary>
    public static Option<double> Rate()
    {
        return new Option<double>("--rate")
        {
            Description = "Requests per second, sent on schedule however slow the target is (open model).",
            DefaultValueFactory = _ => DefaultRate,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && !double.IsInfinity(rate)) return rate;
                result.AddError($"--rate must be a number > 0 (got {text})");
                return DefaultRate;
            },
        };
    }

    /// <summary><c>--duration</c>: how long the load runs; above 0.</summary>
    public static Option<TimeSpan> Duration() => DurationOptions.WithDefault("--duration", "How long the load runs (e.g. 30s, 1m30s).", DefaultDuration, positive: true);

    /// <summary><c>--timeout</c>: the per-request limit, from send to the end of the body; above 0.</summary>
    public static Option<TimeSpan> Timeout() => DurationOptions.WithDefault("--timeout", "Per-request limit, from send to the end of the body.", DefaultTimeout, positive: true);

    /// <summary><c>--output</c>/<c>-o</c>: the report on stdout, <c>text</c> (for people) or <c>json</c> (the shared/DESIGN.md contract).</summary>
    public static Option<string> Output() => new Option<string>("--output", "-o")
    {
        Description = "Report on stdout: text or json.",
        DefaultValueFactory = _ => "text",
    }.OneOf("text", "json");

}
