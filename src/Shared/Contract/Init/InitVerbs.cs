using System.Globalization;
using Lameduck.Contract.Signals;
using Lameduck.Text;

namespace Lameduck.Contract.Init;

/// <summary>A <c>lameduck-init signal [--after DURATION] SIGNAL PID</c> as written.</summary>
/// <param name="After">How long to wait first (0 without <c>--after</c>).</param>
/// <param name="Signal">The signal (Linux number).</param>
/// <param name="Pid">The process to signal (1 in a preStop hook: the container's main process).</param>
internal sealed record SignalVerbLine(TimeSpan After, int Signal, int Pid);

/// <summary>
/// The grammar of lameduck-init's preStop verbs, for images without a shell: <c>lameduck-init sleep DURATION</c> and
/// <c>lameduck-init signal [--after DURATION] SIGNAL PID</c>. lameduck-init runs them; lint reads a preStop hook that
/// uses them (its sleep counts against the grace period) with the same code.
/// </summary>
/// <example><c>InitVerbs.ParseSignal(["--after", "1s", "QUIT", "1"])</c> is (1 s, SIGQUIT, 1).</example>
internal static class InitVerbs
{
    /// <summary>The duration of <c>sleep DURATION</c>; throws <see cref="InitUsageException"/>.</summary>
    public static TimeSpan ParseSleep(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1) throw new InitUsageException("sleep takes one duration, e.g. lameduck-init sleep 5s");
        return DurationText.TryParse(arguments[0], out var duration, out var error) ? duration : throw new InitUsageException($"sleep: {error}");
    }

    /// <summary>The parts of <c>signal [--after DURATION] SIGNAL PID</c>; throws <see cref="InitUsageException"/>.</summary>
    public static SignalVerbLine ParseSignal(IReadOnlyList<string> arguments)
    {
        var after = TimeSpan.Zero;
        var rest = new List<string>();
        for (int i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "--after")
            {
                if (i + 1 >= arguments.Count) throw new InitUsageException("signal: --after needs a duration");
                after = After(arguments[++i]);
            }
            else if (arguments[i].StartsWith("--after=", StringComparison.Ordinal))
            {
                after = After(arguments[i]["--after=".Length..]);
            }
            else
            {
                rest.Add(arguments[i]);
            }
        }
        if (rest.Count != 2) throw new InitUsageException("signal takes a signal and a pid, e.g. lameduck-init signal --after 1s QUIT 1");
        if (!SignalTable.TryParse(rest[0], out int signal)) throw new InitUsageException($"signal: unknown signal '{rest[0]}' (e.g. QUIT, SIGUSR1, 3)");
        if (!int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            throw new InitUsageException($"signal: '{rest[1]}' is not a process id");
        return new SignalVerbLine(after, signal, pid);
    }

    private static TimeSpan After(string text) =>
        DurationText.TryParse(text, out var value, out var error) ? value : throw new InitUsageException($"signal --after: {error}");
}
