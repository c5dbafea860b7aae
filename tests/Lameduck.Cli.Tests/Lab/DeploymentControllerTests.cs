using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Rollout;

namespace Lameduck.Cli.Tests.Lab;

public sealed class DeploymentControllerTests
{
    [Fact]
    public async Task A_pod_that_cannot_be_created_fails_the_rollout_with_the_reason_instead_of_losing_the_run()
    {
        var controller = new DeploymentController(new RolloutStrategy(1, 1, 0), new LabEventLog());

        var result = await controller.RolloutAsync([], () => throw new IOException("Too many open files in system"),
            _ => throw new InvalidOperationException("nothing to delete"), TimeSpan.FromMinutes(1), default);

        Assert.Null(result.Duration);
        Assert.Empty(result.Terminations);
        Assert.Contains("Too many open files in system", result.Failure);
    }

    [Theory]
    [InlineData(0, 1, 0, "--replicas")]
    [InlineData(3, -1, 0, "--max-surge")]
    [InlineData(3, 0, -1, "--max-unavailable")]
    [InlineData(3, 0, 0, "cannot both be 0")]
    public void Strategy_validation_names_the_flag(int replicas, int surge, int unavailable, string expected)
    {
        Assert.Contains(expected, new RolloutStrategy(replicas, surge, unavailable).Validate());
        Assert.Null(new RolloutStrategy(3, 1, 0).Validate());
    }
}
