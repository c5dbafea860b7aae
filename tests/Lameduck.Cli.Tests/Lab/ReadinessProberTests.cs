using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Cli.Tests.Suite;

namespace Lameduck.Cli.Tests.Lab;

[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]
public sealed class ReadinessProberTests
{
    /// <summary>
    /// The verdict is checked against the probes the server answered at the moment it changed, not against a clock:
    /// a clock bound failed in a full run (unready 196 ms after the server stopped, where three failures at a 200 ms
    /// period "take 400 ms": a probe whose tick fired before the stop but that ran late, as a starved thread pool runs
    /// it, and a server whose stop outlasts a period both shorten that). The prober probes one at a time, so when it
    /// calls back no other probe is in flight and the server's counts are exactly the probes it had answered.
    /// </summary>
    [Fact]
    public async Task Turns_ready_after_the_success_threshold_and_unready_after_the_failure_threshold()
    {
        int status = 503;
        long answeredOk = 0, answeredFailed = 0;
        await using var server = await KestrelBackend.StartAsync(context =>
        {
            var code = Volatile.Read(ref status);
            Interlocked.Increment(ref (code == 200 ? ref answeredOk : ref answeredFailed));
            context.Response.StatusCode = code;
            return Task.CompletedTask;
        });
        var changes = new List<(bool Ready, long Ok, long Failed)>();
        var settings = new ProbeSettings("/healthz/ready", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), SuccessThreshold: 2, FailureThreshold: 3);
        await using var prober = new ReadinessProber(server.Port, settings, ready =>
        {
            lock (changes) changes.Add((ready, Interlocked.Read(ref answeredOk), Interlocked.Read(ref answeredFailed)));
        });

        // A pod starts unready, and failures keep it so.
        await ProcessAssert.EventuallyAsync(() => Interlocked.Read(ref answeredFailed) >= 3, TimeSpan.FromSeconds(20), "three failed probes");
        Assert.False(prober.IsReady);

        // Returns (ok, failed) answered before the switch: the thresholds count from there.
        (long Ok, long Failed) Answer(int code)
        {
            Volatile.Write(ref status, code);
            return (Interlocked.Read(ref answeredOk), Interlocked.Read(ref answeredFailed));
        }

        for (int round = 0; round < 2; round++)
        {
            // SuccessThreshold 2: ready on the second success in a row, not the first.
            var before = Answer(200);
            await ProcessAssert.EventuallyAsync(() => prober.IsReady, TimeSpan.FromSeconds(20), "ready");
            lock (changes) Assert.Equal((true, before.Ok + 2), (changes[^1].Ready, changes[^1].Ok));

            // FailureThreshold 3: unready on the third failure in a row, not the first or second.
            before = Answer(503);
            await ProcessAssert.EventuallyAsync(() => !prober.IsReady, TimeSpan.FromSeconds(20), "unready");
            lock (changes) Assert.Equal((false, before.Failed + 3), (changes[^1].Ready, changes[^1].Failed));
        }

        // A server that is gone fails its probes too (connection refused): ready again, then the server stops.
        Answer(200);
        await ProcessAssert.EventuallyAsync(() => prober.IsReady, TimeSpan.FromSeconds(20), "ready");
        await server.DisposeAsync();
        await ProcessAssert.EventuallyAsync(() => !prober.IsReady, TimeSpan.FromSeconds(20), "unready after the server stopped");
        lock (changes) Assert.Equal([true, false, true, false, true, false], changes.Select(c => c.Ready));
    }
}
