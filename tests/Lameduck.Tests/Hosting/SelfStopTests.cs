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

    private static Task WaitUntilStartedAsync(IHost host)
    {
        var started = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(started.SetResult);
        return started.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
