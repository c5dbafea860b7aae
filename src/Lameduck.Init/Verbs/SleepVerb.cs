using Lameduck.Contract.Init;

namespace Lameduck.Init.Verbs;

/// <summary><c>lameduck-init sleep 5s</c>: a preStop hook for images without a shell or a sleep binary (grammar: <see cref="InitVerbs"/>).</summary>
internal static class SleepVerb
{
    public static int Run(IReadOnlyList<string> args)
    {
        Thread.Sleep(InitVerbs.ParseSleep(args));
        return 0;
    }
}
