using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Tests.Lab.Support;

namespace Lameduck.Cli.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class ReadinessProberTests : IDisposable
{
    private readonly LabTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Turns_ready_after_the_success_threshold_and_unready_after_the_failure_threshold()
    {
        int port = FreePort.Next();
        var changes = new List<(bool Ready, DateTime At)>();
        var settings = new ProbeSettings("/healthz/ready", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), SuccessThreshold: 2, FailureThreshold: 3);
        await using var prober = new ReadinessProber(port, settings, ready => { lock (changes) changes.Add((ready, DateTime.UtcNow)); });
        Assert.False(prober.IsReady); // nothing listens yet: a pod starts unready

        using (var replica = Replica.Start(new ReplicaTemplate(StandInServer.Command(), new Dictionary<string, string>()), "r1", port, _dir.Path))
        {
            await ProcessAssert.EventuallyAsync(() => prober.IsReady, TimeSpan.FromSeconds(20), "ready");
        }
        var lostAt = DateTime.UtcNow;
        await ProcessAssert.EventuallyAsync(() => !prober.IsReady, TimeSpan.FromSeconds(20), "unready after the server died");

        lock (changes)
        {
            Assert.Equal([true, false], changes.Select(c => c.Ready));
            // Three failures in a row at a 200 ms period take at least ~400 ms after the server is gone.
            Assert.True(changes[1].At - lostAt >= TimeSpan.FromMilliseconds(350), $"unready after only {changes[1].At - lostAt}");
        }
    }
}
