using System.Diagnostics;

namespace Lameduck.Init.Tests.Support;

/// <summary>Waits on conditions, never on bare sleeps; the timeout only turns a hang into a clear failure.</summary>
internal static class Wait
{
    public static void Until(Func<bool> condition, TimeSpan timeout, Func<string> whatWeWaitedFor)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"waited {timeout.TotalSeconds:0}s for: {whatWeWaitedFor()}");
            Thread.Sleep(10);
        }
    }
}
