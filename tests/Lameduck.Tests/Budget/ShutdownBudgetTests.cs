using Lameduck.Budget;

namespace Lameduck.Tests.Budget;

public sealed class ShutdownBudgetTests
{
    [Fact]
    public void Defaults_leave_23_seconds_to_drain()
    {
        var budget = ShutdownBudget.From(new LameduckOptions());
        Assert.Equal(TimeSpan.FromSeconds(23), budget.DrainTimeout); // 30 - 0 - 5 - 2
        Assert.Equal(TimeSpan.FromSeconds(28), budget.AfterSignal);
        Assert.Equal(TimeSpan.FromSeconds(5), budget.LongestWindow);
    }

    [Fact]
    public void PreStop_time_counts_against_the_grace_period()
    {
        var budget = ShutdownBudget.From(new LameduckOptions { GracePeriod = TimeSpan.FromSeconds(60), PreStop = TimeSpan.FromSeconds(10), Delay = TimeSpan.FromSeconds(15) });
        Assert.Equal(TimeSpan.FromSeconds(33), budget.DrainTimeout); // 60 - 10 - 15 - 2
        Assert.Equal(TimeSpan.FromSeconds(48), budget.AfterSignal);
    }

    [Fact]
    public void A_budget_that_does_not_fit_names_the_options_and_the_numbers()
    {
        var options = new LameduckOptions { PreStop = TimeSpan.FromSeconds(10), Delay = TimeSpan.FromSeconds(20) };
        var problem = Assert.Single(ShutdownBudget.Problems(options));
        Assert.StartsWith("Lameduck: PreStop (10s) + Delay (20s) + SafetyMargin (2s) = 32s does not fit in GracePeriod (30s)", problem, StringComparison.Ordinal);
        var thrown = Assert.Throws<InvalidOperationException>(() => ShutdownBudget.From(options));
        Assert.Equal(problem, thrown.Message);
    }

    [Fact]
    public void An_exact_fit_leaves_nothing_to_drain_and_is_rejected()
    {
        var options = new LameduckOptions { GracePeriod = TimeSpan.FromSeconds(7), Delay = TimeSpan.FromSeconds(5) };
        Assert.Contains("= 7s does not fit in GracePeriod (7s)", Assert.Single(ShutdownBudget.Problems(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(LameduckOptions.GracePeriod))]
    [InlineData(nameof(LameduckOptions.PreStop))]
    [InlineData(nameof(LameduckOptions.Delay))]
    [InlineData(nameof(LameduckOptions.MinDelay))]
    [InlineData(nameof(LameduckOptions.SafetyMargin))]
    public void Negative_values_are_rejected_by_name(string name)
    {
        var options = new LameduckOptions();
        typeof(LameduckOptions).GetProperty(name)!.SetValue(options, TimeSpan.FromMilliseconds(-1500));
        Assert.Contains($"Lameduck: {name} (-1.5s) must not be negative.", ShutdownBudget.Problems(options));
    }

    [Fact]
    public void MinDelay_longer_than_Delay_is_rejected()
    {
        var options = new LameduckOptions { MinDelay = TimeSpan.FromSeconds(6) };
        Assert.Contains("Lameduck: MinDelay (6s) must not be longer than Delay (5s).", ShutdownBudget.Problems(options));
    }

    [Fact]
    public void A_zero_QuietPeriod_is_rejected_and_unset_is_off()
    {
        Assert.Contains("QuietPeriod (0s) must be positive", Assert.Single(ShutdownBudget.Problems(new LameduckOptions { QuietPeriod = TimeSpan.Zero })), StringComparison.Ordinal);
        Assert.Empty(ShutdownBudget.Problems(new LameduckOptions { QuietPeriod = null }));
    }

    [Fact]
    public void Undefined_readiness_mode_is_rejected()
    {
        Assert.Contains("Readiness (7) must be Fail or KeepServing", Assert.Single(ShutdownBudget.Problems(new LameduckOptions { Readiness = (ReadinessMode)7 })), StringComparison.Ordinal);
    }
}
