using Lameduck.Testing;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Lameduck.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lameduck.Tests.Diagnostics;

/// <summary>Issue 2, step 6: the Meter named Lameduck reports phase, in-flight work, lame-duck traffic and the drain.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Meter_Lameduck_reports_phase_in_flight_served_and_drain_duration()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Lameduck:Delay"] = "00:00:00.200", ["Lameduck:MinDelay"] = "00:00:00" });
        builder.Services.AddLameduck();
        builder.Services.AddHostedService<StopsIn300Ms>(); // a drain with a known length
        using var host = builder.Build();

        var measurements = new List<(string Name, double Value)>();
        using var listener = new MeterListener();
        // Only this host's meter: other tests' hosts in this process publish meters named Lameduck too.
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Lameduck" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => { lock (measurements) measurements.Add((i.Name, v)); });
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => { lock (measurements) measurements.Add((i.Name, v)); });
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => { lock (measurements) measurements.Add((i.Name, v)); });
        listener.Start();

        await host.StartAsync();
        var run = host.WaitForShutdownAsync(); // stops the host without disposing its meters
        var lameduck = host.Services.GetRequiredService<ILameduck>();
        var work = lameduck.BeginWork();
        listener.RecordObservableInstruments();
        Assert.Contains(("lameduck.phase", 0), measurements);
        Assert.Contains(("lameduck.in_flight", 1), measurements);

        host.Services.GetRequiredService<LameduckHostLifetime>().BeginShutdown(PosixSignal.SIGTERM);
        await lameduck.Draining.WhenCancelledAsync().WaitAsync(TimeSpan.FromSeconds(30)); // the window has started
        lameduck.BeginWork().Dispose(); // served during the window
        listener.RecordObservableInstruments();
        Assert.Contains(("lameduck.phase", 1), measurements);
        Assert.Contains(("lameduck.lame_duck.served", 1), measurements);
        work.Dispose();

        await run.WaitAsync(TimeSpan.FromSeconds(30));
        listener.RecordObservableInstruments();
        Assert.Contains(("lameduck.phase", 3), measurements);
        Assert.Contains(("lameduck.aborted", 0), measurements);
        // The drain waited for the hosted service's 300 ms stop (a timer may fire a few ms early: 0.297 s was seen)
        // and not much more; a drain measured from the wrong moment, or not at all, falls outside.
        var drain = Assert.Single(measurements, m => m.Name == "lameduck.drain.duration").Value;
        Assert.InRange(drain, 0.25, 5);
    }

    private sealed class StopsIn300Ms : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.Delay(300, CancellationToken.None);
    }
}
