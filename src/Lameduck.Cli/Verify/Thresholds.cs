using System.Globalization;
using System.Text.Json.Nodes;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.During;

namespace Lameduck.Cli.Verify;

/// <summary>One pass/fail check of a run: <c>--max-errors</c>, <c>--max-p99</c>, or the <c>--during</c> command's exit.</summary>
/// <param name="Name">The flag the check comes from, e.g. <c>max-errors</c>.</param>
/// <param name="Limit">The limit as typed, e.g. <c>0</c> or <c>250ms</c>.</param>
/// <param name="Actual">What the run measured, e.g. <c>3</c> or <c>412.5ms</c>.</param>
/// <param name="Passed">True when the run is within the limit.</param>
public sealed record Threshold(string Name, string Limit, string Actual, bool Passed)
{
    /// <summary>The sentence printed when the check fails.</summary>
    public string Message => Name == "during"
        ? $"the --during command failed: {Actual}"
        : $"--{Name} exceeded: {Actual} (limit {Limit})";
}

/// <summary>The thresholds a run is judged by (exit code 1 when one fails).</summary>
/// <param name="MaxErrors">Most errors allowed (default 0: the point is to prove zero errors); null for no limit.</param>
/// <param name="MaxP99">Highest p99 latency allowed; null for no limit.</param>
public sealed record Thresholds(long? MaxErrors, TimeSpan? MaxP99)
{
    /// <summary>Evaluates every check against <paramref name="result"/>; the during command's outcome is read from its events.</summary>
    public IReadOnlyList<Threshold> Evaluate(LoadResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var checks = new List<Threshold>();
        var s = result.Summary;
        if (MaxErrors is { } maxErrors)
            checks.Add(new Threshold("max-errors", maxErrors.ToString(inv), s.Errors.ToString(inv), s.Errors <= maxErrors));
        if (MaxP99 is { } maxP99)
            checks.Add(new Threshold("max-p99", Reports.DurationFormat.Ms(maxP99.TotalMilliseconds), Reports.DurationFormat.Ms(s.LatencyMs.P99),
                s.LatencyMs.P99 <= maxP99.TotalMilliseconds));
        if (DuringOutcome.FromEvents(result.Events) is { } during)
            checks.Add(new Threshold("during", "exit code 0", during.Problem ?? "exit code 0", during.Succeeded));
        return checks;
    }

    /// <summary>The checks as the JSON report's <c>thresholds</c> array.</summary>
    public static JsonArray ToJson(IEnumerable<Threshold> checks)
    {
        var array = new JsonArray();
        foreach (var c in checks)
            array.Add(new JsonObject { ["name"] = c.Name, ["limit"] = c.Limit, ["actual"] = c.Actual, ["passed"] = c.Passed });
        return array;
    }
}
