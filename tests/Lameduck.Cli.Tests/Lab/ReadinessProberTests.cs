using System.Net;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Lameduck.Cli.Tests.Lab;

[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class ReadinessProberTests : IDisposable
{
    private readonly LabTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Turns_ready_after_the_success_threshold_and_unready_after_the_failure_threshold()
    {
        int port = FreePort.Next();
        var changes = new List<(bool Ready, DateTime At)>();
        long probesWhenReady = -1;
        KestrelTarget? server = null;
        var settings = new ProbeSettings("/healthz/ready", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), SuccessThreshold: 2, FailureThreshold: 3);
        await using var prober = new ReadinessProber(port, settings, ready =>
        {
            lock (changes)
            {
                changes.Add((ready, DateTime.UtcNow));
                if (ready) probesWhenReady = server!.Count("all");
            }
        });
        Assert.False(prober.IsReady); // nothing listens yet: a pod starts unready

        await using (server = await KestrelTarget.StartAsync(IPAddress.Loopback, protocols: HttpProtocols.Http1, port: port))
        {
            await ProcessAssert.EventuallyAsync(() => prober.IsReady, TimeSpan.FromSeconds(20), "ready");
            // SuccessThreshold 2: ready on the second success in a row, not the first (the server counts what it answered).
            lock (changes) Assert.Equal(2, probesWhenReady);
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
