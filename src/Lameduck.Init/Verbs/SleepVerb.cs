using Lameduck.Init.Options;
using Lameduck.Text;

namespace Lameduck.Init.Verbs;

/// <summary><c>lameduck-init sleep 5s</c>: a preStop hook for images without a shell or a sleep binary.</summary>
internal static class SleepVerb
{
    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count != 1) throw new UsageException("sleep takes one duration, e.g. lameduck-init sleep 5s");
        if (!DurationText.TryParse(args[0], out var duration, out var error)) throw new UsageException($"sleep: {error}");
        Thread.Sleep(duration);
        return 0;
    }
}
