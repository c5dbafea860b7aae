using Lameduck.Cli.Lab.Replicas;

namespace Lameduck.Cli.Tests.Lab;

/// <summary>
/// The ports the lab gives its replicas. Bound to port 0 and released, the kernel hands the same port out again soon
/// enough that two replicas started together got one port (one crashed on the bind): a port handed out is not
/// handed out again while 4,096 newer ones are remembered.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public async Task Ports_handed_out_together_from_several_threads_are_all_different_and_free()
    {
        // 4 threads x 500: drawn by bind(0)-and-close from ~28,000 ephemeral ports, a repeat is all but certain
        // (birthday bound: 1 - e^(-2000^2 / (2 x 28,232)), about 1 - e^-70), unless Next remembers what it gave.
        var perThread = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 500).Select(_ => FreePort.Next()).ToArray())));
        var ports = perThread.SelectMany(p => p).ToArray();

        var repeated = ports.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.True(repeated.Length == 0, $"{repeated.Length} ports handed out twice, e.g. {string.Join(", ", repeated.Take(5))}");
        Assert.All(ports, p => Assert.InRange(p, 1024, 65535));
        Assert.True(FreePort.IsFree(ports[^1]), $"port {ports[^1]} was handed out but is not free");
    }
}
