using System.Net;
using Lameduck.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Lameduck.AspNetCore.Tests.Probes;

/// <summary>Issue 2, step 7: AddLameduckReadiness gives MapHealthChecks the same readiness flip.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class ReadinessHealthCheckTests
{
    [Theory]
    [InlineData("Fail", HttpStatusCode.ServiceUnavailable)]
    [InlineData("KeepServing", HttpStatusCode.OK)]
    public async Task Health_check_flips_with_the_window_unless_KeepServing(string readiness, HttpStatusCode expectedDuringWindow)
    {
        await using var server = await InProcessApp.StartAsync(
            new Dictionary<string, string?> { ["Lameduck:Delay"] = "00:00:30", ["Lameduck:GracePeriod"] = "00:01:00", ["Lameduck:Readiness"] = readiness },
            app => app.MapHealthChecks("/ready"),
            builder =>
            {
                builder.Services.AddLameduck();
                builder.Services.AddHealthChecks().AddLameduckReadiness();
            });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ready")).StatusCode);
        await server.BeginShutdownAsync();
        Assert.Equal(LameduckPhase.LameDuck, server.Lameduck.Phase);
        Assert.Equal(expectedDuringWindow, (await http.GetAsync("/ready")).StatusCode);
    }

    [Fact]
    public async Task Probe_paths_are_configurable_and_probes_are_not_traffic()
    {
        await using var server = await InProcessApp.StartAsync(
            new Dictionary<string, string?>(),
            app =>
            {
                app.UseLameduck();
                app.MapLameduckProbes("/live", "/ready");
            },
            builder => builder.Services.AddLameduck());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var state = (LameduckState)server.Lameduck;
        var lastArrival = state.LastArrival;

        Assert.Equal("live", await http.GetStringAsync("/live"));
        Assert.Equal("ready: serving, 0 in flight", await http.GetStringAsync("/ready"));
        Assert.Equal(lastArrival, state.LastArrival); // probes did not reset the quiet-period clock
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/healthz/ready")).StatusCode);
        Assert.NotEqual(lastArrival, state.LastArrival); // any other request is traffic
    }

    [Fact]
    public async Task UseLameduck_without_AddLameduck_says_what_is_missing()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessApp.StartAsync(
            new Dictionary<string, string?>(), app => app.UseLameduck()));
        Assert.Contains("builder.Services.AddLameduck()", error.Message, StringComparison.Ordinal);
    }
}
