using System.Globalization;
using System.Runtime.InteropServices;
using Lameduck.Init.Native;
using Lameduck.Init.Options;
using Lameduck.Init.Signals;
using Lameduck.Text;

namespace Lameduck.Init.Verbs;

/// <summary>
/// <c>lameduck-init signal --after 1s QUIT 1</c>: the write-ups' preStop <c>sleep 1; kill -QUIT 1</c>
/// without a shell. Exit 0 when sent, 1 when the process does not exist or may not be signalled.
/// </summary>
internal static class SignalVerb
{
    public static int Run(IReadOnlyList<string> args)
    {
        var after = TimeSpan.Zero;
        var rest = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--after")
            {
                if (i + 1 >= args.Count) throw new UsageException("signal: --after needs a duration");
                after = ParseDuration(args[++i]);
            }
            else if (args[i].StartsWith("--after=", StringComparison.Ordinal))
            {
                after = ParseDuration(args[i]["--after=".Length..]);
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        if (rest.Count != 2) throw new UsageException("signal takes a signal and a pid, e.g. lameduck-init signal --after 1s QUIT 1");
        if (!SignalNames.TryParse(rest[0], out int signal)) throw new UsageException($"signal: unknown signal '{rest[0]}' (e.g. QUIT, SIGUSR1, 3)");
        if (!int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            throw new UsageException($"signal: '{rest[1]}' is not a process id");

        Thread.Sleep(after);
        if (Libc.kill(pid, signal) == 0) return 0;
        StandardStream.Error.WriteLine($"lameduck-init: signal: cannot send {SignalNames.Name(signal)} to {pid}: {Libc.ErrorText(Marshal.GetLastPInvokeError())}");
        return 1;
    }

    private static TimeSpan ParseDuration(string text) =>
        DurationText.TryParse(text, out var value, out var error) ? value : throw new UsageException($"signal --after: {error}");
}
