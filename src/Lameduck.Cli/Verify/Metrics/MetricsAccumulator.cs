using System.Runtime.CompilerServices;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Verify.Metrics;

/// <summary>
/// Folds request records into a <see cref="LoadSummary"/> in fixed memory (histograms and counters,
/// no list of requests). Single writer: the load generator's results pipeline, or the results-file reader.
/// Counters are readable from other threads for live progress.
/// </summary>
public sealed class MetricsAccumulator
{
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _serviceTime = new();
    private readonly LatencyHistogram _sendLag = new();
    private readonly SortedDictionary<int, long> _statusCodes = [];
    private readonly long[] _errorClasses = new long[Enum.GetValues<ErrorClass>().Length];
    private readonly Timeline _timeline = new();
    private long _requests, _errors, _retries, _bytesIn, _lastEndUs;
    private bool _retriesMeasured = true;

    /// <summary>Requests recorded so far.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Errors (non-2xx/3xx) recorded so far.</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Adds one request record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in RequestResult r)
    {
        _errorClasses[(int)r.Error]++;
        if (r.Error == ErrorClass.None)
            _statusCodes[r.Status] = _statusCodes.GetValueOrDefault(r.Status) + 1;
        if (!r.IsSuccess) Volatile.Write(ref _errors, _errors + 1);
        if (r.WasSent)
        {
            _latency.Record(r.LatencyUs);
            _serviceTime.Record(r.ServiceTimeUs);
            _sendLag.Record(r.SendLagUs);
            _lastEndUs = Math.Max(_lastEndUs, r.EndUs);
            if (r.Retries < 0) _retriesMeasured = false;
            else _retries += r.Retries;
        }
        _bytesIn += r.BytesIn;
        _timeline.Add(r);
        Volatile.Write(ref _requests, _requests + 1);
    }

    /// <summary>
    /// The summary of everything added, for an attack that lasted <paramref name="attackDurationUs"/>
    /// (the configured duration, or less when interrupted).
    /// </summary>
    public LoadSummary Summarize(long attackDurationUs)
    {
        var durationS = attackDurationUs / 1_000_000.0;
        var waitS = Math.Max(0, _lastEndUs - attackDurationUs) / 1_000_000.0;
        var successes = _requests - _errors;
        return new LoadSummary
        {
            Requests = _requests,
            Rate = durationS > 0 ? Round(_requests / durationS) : 0,
            Throughput = durationS + waitS > 0 ? Round(successes / (durationS + waitS)) : 0,
            DurationSeconds = Round(durationS, 6),
            WaitSeconds = Round(waitS, 6),
            SuccessRatio = _requests == 0 ? 1.0 : Round((double)successes / _requests, 6),
            Errors = _errors,
            StatusCodes = new SortedDictionary<int, long>(_statusCodes),
            ErrorSet = ErrorClassNames.Failures.ToDictionary(ErrorClassNames.Name, e => _errorClasses[(int)e]),
            LatencyMs = LatencySummary.From(_latency),
            ServiceTimeMs = LatencySummary.From(_serviceTime),
            SendLagMs = LatencySummary.From(_sendLag),
            Saturated = _errorClasses[(int)ErrorClass.Saturated],
            Retries = _retriesMeasured ? _retries : null,
            BytesIn = _bytesIn,
            Timeline = _timeline,
        };
    }

    private static double Round(double value, int digits = 3) => Math.Round(value, digits);
}
