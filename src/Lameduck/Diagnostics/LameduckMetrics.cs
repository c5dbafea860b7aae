using System.Diagnostics.Metrics;

namespace Lameduck.Diagnostics;

/// <summary>
/// The <c>Lameduck</c> meter. Phase, in-flight work and the counters are observable instruments read from
/// <see cref="LameduckState"/> when a listener collects, so the request path pays nothing for metrics.
/// </summary>
internal sealed class LameduckMetrics
{
    /// <summary>The meter name to subscribe to (e.g. <c>dotnet-counters monitor --counters Lameduck</c>).</summary>
    public const string MeterName = "Lameduck";

    private readonly Histogram<double> _drainDuration;

    public LameduckMetrics(IMeterFactory meterFactory, LameduckState state)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("lameduck.phase", () => (int)state.Phase, description: "0 serving, 1 lame duck, 2 draining, 3 stopped");
        meter.CreateObservableUpDownCounter("lameduck.in_flight", () => state.InFlight, unit: "{request}", description: "Requests (units of work) in flight");
        meter.CreateObservableCounter("lameduck.lame_duck.served", () => state.ServedDuringLameDuck, unit: "{request}", description: "Requests that arrived during the lame-duck window");
        meter.CreateObservableCounter("lameduck.aborted", () => state.Aborted, unit: "{request}", description: "Requests and connections still open at the drain deadline");
        _drainDuration = meter.CreateHistogram<double>("lameduck.drain.duration", unit: "s", description: "Time from the start of the drain until the host stopped");
    }

    public void RecordDrain(TimeSpan duration) => _drainDuration.Record(duration.TotalSeconds);
}
