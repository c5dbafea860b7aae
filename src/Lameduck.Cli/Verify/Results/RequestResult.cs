namespace Lameduck.Cli.Verify.Results;

/// <summary>
/// What happened to one request. Times are microseconds since the start of the run (t0), so a
/// record is small, has no allocation, and reads back from a results file exactly as it was measured.
/// </summary>
/// <param name="Seq">Index of the request in the schedule (request <c>i</c> is due at <c>i / rate</c>).</param>
/// <param name="ScheduledUs">When the schedule said to send it.</param>
/// <param name="SentUs">When it was handed to the HTTP stack; -1 when never sent (<see cref="ErrorClass.Saturated"/>).</param>
/// <param name="EndUs">When the response body was read completely or the failure was known; -1 when never sent.</param>
/// <param name="Status">HTTP status code, 0 when none was received.</param>
/// <param name="Error">Why no status was received; <see cref="ErrorClass.None"/> when one was.</param>
/// <param name="Retries">
/// How many times the HTTP stack resent the request on another connection because its connection was closed
/// before any response byte (what Go's net/http and browsers do too; .NET resends up to 3 times); -1 when
/// not measured (HTTP/2).
/// </param>
/// <param name="BytesIn">Response body bytes read.</param>
public readonly record struct RequestResult(
    long Seq,
    long ScheduledUs,
    long SentUs,
    long EndUs,
    int Status,
    ErrorClass Error,
    int Retries,
    long BytesIn)
{
    /// <summary>True when the request was sent (not dropped as saturated).</summary>
    public bool WasSent => SentUs >= 0;

    /// <summary>Latency free of coordinated omission: end minus the scheduled time.</summary>
    public long LatencyUs => EndUs - ScheduledUs;

    /// <summary>Service time: end minus the actual send time.</summary>
    public long ServiceTimeUs => EndUs - SentUs;

    /// <summary>How late the request left: actual send minus scheduled time.</summary>
    public long SendLagUs => SentUs - ScheduledUs;

    /// <summary>
    /// True for a 2xx or 3xx answer. Everything else (4xx, 5xx, transport errors, saturated) is an
    /// error in the sense of the JSON contract's <c>errors</c>.
    /// </summary>
    public bool IsSuccess => Error == ErrorClass.None && Status is >= 200 and < 400;
}
