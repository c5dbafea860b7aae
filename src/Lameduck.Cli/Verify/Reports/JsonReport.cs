using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Events;
using Lameduck.Cli.Verify.Metrics;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Reports;

/// <summary>
/// The machine-readable report: the contract of shared/DESIGN.md (<c>requests</c>, <c>rate</c>, <c>throughput</c>,
/// <c>duration_s</c>, <c>success_ratio</c>, <c>errors</c>, <c>status_codes</c>, <c>error_set</c>, <c>latency_ms</c>)
/// followed by verify's extras. Callers such as the lab add their own top-level fields to the
/// <see cref="JsonObject"/> before writing it.
/// </summary>
/// <example>
/// <code>
/// var json = JsonReport.ToJson(result);
/// json["app"] = "hello";                      // extra top-level fields
/// JsonReport.Write(json, Console.Out);
/// </code>
/// </example>
public static class JsonReport
{
    // Relaxed escaping keeps '+' and non-ASCII readable on stdout; the HTML report embeds JSON with the strict encoder.
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the report object; <paramref name="extra"/> fields are appended at top level (they may replace none of the contract's).</summary>
    public static JsonObject ToJson(LoadResult result, IEnumerable<KeyValuePair<string, JsonNode?>>? extra = null)
    {
        var s = result.Summary;
        var statusCodes = new JsonObject();
        foreach (var (code, count) in s.StatusCodes) statusCodes[code.ToString(CultureInfo.InvariantCulture)] = count;
        var errorSet = new JsonObject();
        foreach (var error in ErrorClassNames.Failures)
        {
            var name = ErrorClassNames.Name(error);
            errorSet[name] = s.ErrorSet.GetValueOrDefault(name);
        }

        var json = new JsonObject
        {
            ["requests"] = s.Requests,
            ["rate"] = s.Rate,
            ["throughput"] = s.Throughput,
            ["duration_s"] = s.DurationSeconds,
            ["success_ratio"] = s.SuccessRatio,
            ["errors"] = s.Errors,
            ["status_codes"] = statusCodes,
            ["error_set"] = errorSet,
            ["latency_ms"] = Distribution(s.LatencyMs),
            ["target"] = result.Run.Target,
            ["method"] = result.Run.Method,
            ["target_rate"] = result.Run.TargetRate,
            ["target_duration_s"] = result.Run.TargetDuration.TotalSeconds,
            ["started_utc"] = result.Run.StartedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["interrupted"] = result.Run.Interrupted,
            ["wait_s"] = s.WaitSeconds,
            ["saturated"] = s.Saturated,
            ["retries"] = s.Retries,
            ["bytes_in"] = s.BytesIn,
            ["service_time_ms"] = Distribution(s.ServiceTimeMs),
            ["send_lag_ms"] = Distribution(s.SendLagMs),
            ["events"] = Events(result.Events),
        };
        foreach (var (name, value) in extra ?? [])
        {
            if (json.ContainsKey(name)) throw new ArgumentException($"the report already has a field '{name}'", nameof(extra));
            json[name] = value;
        }
        return json;
    }

    /// <summary>Writes <paramref name="json"/> indented, followed by a newline.</summary>
    public static void Write(JsonObject json, TextWriter output)
    {
        output.Write(json.ToJsonString(s_indented));
        output.Write('\n');
    }

    /// <summary>The events as a JSON array of <c>{ "at_s", "name", "detail" }</c>.</summary>
    public static JsonArray Events(IEnumerable<RunEvent> events)
    {
        var array = new JsonArray();
        foreach (var e in events)
            array.Add(new JsonObject { ["at_s"] = Math.Round(e.AtSeconds, 6), ["name"] = e.Name, ["detail"] = e.Detail });
        return array;
    }

    private static JsonObject Distribution(LatencySummary d) => new()
    {
        ["mean"] = d.Mean,
        ["p50"] = d.P50,
        ["p90"] = d.P90,
        ["p95"] = d.P95,
        ["p99"] = d.P99,
        ["max"] = d.Max,
    };
}
