using System.Diagnostics.Metrics;
using Lameduck.Cli.Webhook.Admission;

namespace Lameduck.Cli.Webhook.Diagnostics;

/// <summary>
/// Meter <c>Lameduck.Webhook</c>: <c>lameduck.webhook.requests</c> (counter, by <c>outcome</c>) and
/// <c>lameduck.webhook.duration</c> (histogram, seconds, by <c>outcome</c>): from the first byte of the handler
/// to the response written. Read with <c>dotnet-counters monitor --counters Lameduck.Webhook</c>, or any
/// MeterListener / OpenTelemetry <c>AddMeter("Lameduck.Webhook")</c>.
/// </summary>
internal sealed class WebhookMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Lameduck.Webhook";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("lameduck.webhook.requests", "{request}", "Admission requests answered (all allowed), by outcome");
        _duration = meter.CreateHistogram<double>("lameduck.webhook.duration", "s", "Time to answer an admission request, by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    /// <summary>Counts one answered request.</summary>
    public void Record(AdmissionOutcome outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome.Tag());
        _requests.Add(1, tag);
        _duration.Record(elapsed.TotalSeconds, tag);
    }
}
