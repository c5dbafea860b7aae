using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lameduck.Tests.Hosting;

/// <summary>An application that stops itself (no signal) skips the window but still drains and tells workers.</summary>
public sealed class SelfStopTests
{
    [Fact]
    public async Task StopApplication_without_a_signal_drains_fires_Draining_and_ends_Stopped()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLameduck();
        using var host = builder.Build();
        var run = host.RunAsync();
        var lameduck = host.Services.GetRequiredService<ILameduck>();
        await WaitUntilStartedAsync(host);

        Assert.Equal(LameduckPhase.Serving, lameduck.Phase);
        var stoppedAt = DateTimeOffset.UtcNow;
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(lameduck.Draining.IsCancellationRequested);
        Assert.Equal(LameduckPhase.Stopped, lameduck.Phase);
        // No signal, so no window: the drain deadline is the budget's drain time from the stop, 30 − 5 − 2 = 23 s with defaults.
        var deadline = lameduck.Deadline ?? throw new Xunit.Sdk.XunitException("no deadline was set when the drain started");
        Assert.InRange(deadline - stoppedAt, TimeSpan.FromSeconds(23), TimeSpan.FromSeconds(23) + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Draining_fires_when_the_drain_starts_before_any_hosted_service_stops()
    {
        // A worker learns to go away from Draining; it must fire when the host's drain starts, while the worker can
        // still act on it, not once everything has stopped (then its in-flight work has been cut already).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLameduck();
        builder.Services.AddHostedService<StopWitness>();
        using var host = builder.Build();
        var witness = host.Services.GetServices<IHostedService>().OfType<StopWitness>().Single();
        var run = host.RunAsync();
        await WaitUntilStartedAsync(host);

        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(witness.Stopped, "the hosted service was never stopped");
        Assert.True(witness.DrainingWhenStopped, "Draining had not fired when the hosted services were stopped");
        Assert.Equal(LameduckPhase.Draining, witness.PhaseWhenStopped);
    }

    private sealed class StopWitness(ILameduck lameduck) : IHostedService
    {
        public bool Stopped { get; private set; }

        public bool DrainingWhenStopped { get; private set; }

        public LameduckPhase PhaseWhenStopped { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Stopped = true;
            DrainingWhenStopped = lameduck.Draining.IsCancellationRequested;
            PhaseWhenStopped = lameduck.Phase;
            return Task.CompletedTask;
        }
    }

    private static Task WaitUntilStartedAsync(IHost host)
    {
        var started = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(started.SetResult);
        return started.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
