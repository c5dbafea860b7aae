namespace Lameduck.Cli.Verify.Metrics;

/// <summary>
/// The figures of a run, in the names of the JSON contract (shared/DESIGN.md) plus verify's extras.
/// Built by <see cref="MetricsAccumulator.Summarize"/>, live or from a results file, with the same result.
/// </summary>
public sealed record LoadSummary
{
    /// <summary>Requests scheduled, including those dropped as saturated.</summary>
    public required long Requests { get; init; }
    /// <summary>Requests per second issued: <see cref="Requests"/> / <see cref="DurationSeconds"/>.</summary>
    public required double Rate { get; init; }
    /// <summary>Successful (2xx/3xx) requests per second over the attack plus the wait for the last responses.</summary>
    public required double Throughput { get; init; }
    /// <summary>Length of the attack (scheduling) phase in seconds.</summary>
    public required double DurationSeconds { get; init; }
    /// <summary>Seconds from the end of the attack to the last response.</summary>
    public required double WaitSeconds { get; init; }
    /// <summary>Share of requests answered 2xx/3xx (1.0 when no request was made).</summary>
    public required double SuccessRatio { get; init; }
    /// <summary>Requests without a 2xx/3xx answer: 4xx, 5xx, transport errors, timeouts, saturated.</summary>
    public required long Errors { get; init; }
    /// <summary>Count per HTTP status code received.</summary>
    public required IReadOnlyDictionary<int, long> StatusCodes { get; init; }
    /// <summary>Count per error class name (every class listed, zeros included).</summary>
    public required IReadOnlyDictionary<string, long> ErrorSet { get; init; }
    /// <summary>Latency from the scheduled send time (no coordinated omission) of every sent request.</summary>
    public required LatencySummary LatencyMs { get; init; }
    /// <summary>Latency from the actual send time.</summary>
    public required LatencySummary ServiceTimeMs { get; init; }
    /// <summary>How late requests left: actual send minus scheduled time.</summary>
    public required LatencySummary SendLagMs { get; init; }
    /// <summary>Requests not sent because <c>--max-in-flight</c> were outstanding.</summary>
    public required long Saturated { get; init; }
    /// <summary>Resends on a fresh connection done by the HTTP stack; null when not measured (HTTP/2).</summary>
    public required long? Retries { get; init; }
    /// <summary>Response body bytes read.</summary>
    public required long BytesIn { get; init; }
    /// <summary>Per-100 ms and per-second series for charts.</summary>
    public required Timeline Timeline { get; init; }
}
