using Lameduck.Cli.Lab.Replicas;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>Assertions that a test left no process or port behind.</summary>
internal static class ProcessAssert
{
    /// <summary>Waits (up to 10 s; reaping is asynchronous) until none of the pids exists.</summary>
    public static async Task AllGoneAsync(IEnumerable<int> pids)
    {
        var list = pids.ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (list.Any(ProcessSignals.Exists) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var alive = list.Where(ProcessSignals.Exists).ToArray();
        Assert.True(alive.Length == 0, $"processes left behind: {string.Join(", ", alive.Select(Describe))}");
    }

    private static string Describe(int pid)
    {
        try { return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}; {File.ReadAllLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:"))})"; }
        catch (IOException) { return pid.ToString(); }
    }

    /// <summary>Asserts nothing listens on any of the ports any more.</summary>
    public static async Task PortsFreeAsync(IEnumerable<int> ports)
    {
        var list = ports.ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!list.All(FreePort.IsFree) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var busy = list.Where(p => !FreePort.IsFree(p)).ToArray();
        Assert.True(busy.Length == 0, $"ports still in use: {string.Join(", ", busy)}");
    }

    /// <summary>Waits for a condition with a generous bound; fails with <paramref name="what"/> when it never holds.</summary>
    public static Task EventuallyAsync(Func<bool> condition, TimeSpan within, string what) =>
        EventuallyAsync(() => Task.FromResult(condition()), within, what);

    /// <summary>Waits for an asynchronous condition with a generous bound.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for: " + what);
            await Task.Delay(25);
        }
    }
}
