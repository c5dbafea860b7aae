using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lameduck.Tests.Budget;

/// <summary>The drain deadline is derived from the budget: HostOptions.ShutdownTimeout is never configured a second time.</summary>
public sealed class HostOptionsFromBudgetTests
{
    [Fact]
    public void ShutdownTimeout_is_the_budget_drain_timeout_from_configuration()
    {
        using var host = Build(new()
        {
            ["Lameduck:GracePeriod"] = "00:01:00",
            ["Lameduck:Delay"] = "00:00:10",
            ["Lameduck:PreStop"] = "00:00:03",
        });
        Assert.Equal(TimeSpan.FromSeconds(45), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout); // 60-3-10-2
    }

    [Fact]
    public void The_host_own_shutdownTimeoutSeconds_setting_does_not_win_over_the_budget()
    {
        var settings = new Dictionary<string, string?> { ["shutdownTimeoutSeconds"] = "90" };
        var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        plain.Configuration.AddInMemoryCollection(settings);
        using (var withoutLameduck = plain.Build())
        {
            // Control: the host does read that setting on its own.
            Assert.Equal(TimeSpan.FromSeconds(90), withoutLameduck.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        }
        using var host = Build(settings);
        Assert.Equal(TimeSpan.FromSeconds(23), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void The_configure_callback_applies_after_configuration()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Lameduck:Delay"] = "00:00:10" });
        builder.Services.AddLameduck(o => o.Delay = TimeSpan.FromSeconds(1));
        using var host = builder.Build();
        Assert.Equal(TimeSpan.FromSeconds(1), host.Services.GetRequiredService<IOptions<LameduckOptions>>().Value.Delay);
        Assert.Equal(TimeSpan.FromSeconds(27), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task An_impossible_budget_fails_start_up_not_build()
    {
        using var host = Build(new() { ["Lameduck:Delay"] = "00:00:40" }); // building must not throw
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("PreStop (0s) + Delay (40s) + SafetyMargin (2s) = 42s does not fit in GracePeriod (30s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_that_does_not_parse_names_the_key_and_the_expected_format()
    {
        using var host = Build(new() { ["Lameduck:GracePeriod"] = "30 seconds" });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("'30 seconds' at 'Lameduck:GracePeriod'", error.Message, StringComparison.Ordinal);
        Assert.Contains("hh:mm:ss", error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLameduck();
        return builder.Build();
    }
}
