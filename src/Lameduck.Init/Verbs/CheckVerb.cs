using Lameduck.Contract.Init;
using Lameduck.Init.Native;

namespace Lameduck.Init.Verbs;

/// <summary>
/// <c>lameduck-init check [OPTIONS] [--] COMMAND</c>: reads the options and <c>LAMEDUCK_*</c> variables exactly as a
/// real start would, prints what lameduck-init would do (<see cref="InitSettings.Describe"/>: every setting with
/// where it came from, the budget, the command) and exits 0, or exits 2 with the same message a start would give.
/// Runs nothing. For a Dockerfile's <c>RUN</c> step, CI, or checking a pod spec's settings by hand.
/// </summary>
internal static class CheckVerb
{
    public static int Run(IReadOnlyList<string> args)
    {
        StandardStream.Out.WriteLine(InitSettings.Parse(args, Environment.GetEnvironmentVariable).Describe().TrimEnd('\n'));
        return 0;
    }
}
