using System.Globalization;

namespace Lameduck.Contract.Signals;

/// <summary>
/// THE signal table of Lameduck: Linux's numbers (x86-64 and arm64 share them) and the spellings users type in
/// flags, variables, manifests and shell commands: <c>QUIT</c>, <c>SIGQUIT</c>, <c>quit</c> or <c>3</c>.
/// Compiled into every part (lameduck-init, the CLI's lab and lint, the library), so they cannot disagree.
/// </summary>
/// <example><c>SignalTable.TryParse("sigquit", out var n)</c> gives 3; <c>SignalTable.Name(3)</c> is <c>SIGQUIT</c>.</example>
internal static class SignalTable
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
        SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGWINCH = 28;

    /// <summary>The highest signal number Linux defines (real-time signals included).</summary>
    public const int Max = 64;

    // Index = number; signal(7).
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>Parses a name (any case, with or without <c>SIG</c>) or a number 1–64; false for anything else.</summary>
    public static bool TryParse(string? text, out int signal)
    {
        signal = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number is < 1 or > Max) return false;
            signal = number;
            return true;
        }
        s = s.ToUpperInvariant();
        if (s.StartsWith("SIG", StringComparison.Ordinal)) s = s[3..];
        for (int i = 1; i < Names.Length; i++)
        {
            if (Names[i] == s)
            {
                signal = i;
                return true;
            }
        }
        return false;
    }

    /// <summary><c>SIGQUIT</c> for 3; <c>SIG40</c> for a real-time signal.</summary>
    public static string Name(int signal) => "SIG" + ShortName(signal);

    /// <summary><c>QUIT</c> for 3 (how manifests' <c>kill -QUIT</c> and lameduck-init's flags spell it); <c>40</c> for a real-time signal.</summary>
    public static string ShortName(int signal) =>
        signal > 0 && signal < Names.Length ? Names[signal] : signal.ToString(CultureInfo.InvariantCulture);

    /// <summary>The short name of <paramref name="text"/> (<c>QUIT</c> for <c>sigquit</c> or <c>3</c>), or null when it is not a signal.</summary>
    public static string? Normalize(string? text) => TryParse(text, out var signal) ? ShortName(signal) : null;
}
