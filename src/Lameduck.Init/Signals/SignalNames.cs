using System.Globalization;

namespace Lameduck.Init.Signals;

/// <summary>Linux signal numbers (x86-64/arm64 numbering) and the names users type: <c>QUIT</c>, <c>SIGQUIT</c>, <c>quit</c> or <c>3</c>.</summary>
internal static class SignalNames
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
        SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGWINCH = 28;

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>Parses a signal name or number; false for anything Linux does not define.</summary>
    public static bool TryParse(string? text, out int signal)
    {
        signal = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            signal = number;
            return number is > 0 and <= 64;
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

    /// <summary>"SIGQUIT" for 3; "SIG40" for real-time signals.</summary>
    public static string Name(int signal) =>
        signal > 0 && signal < Names.Length ? "SIG" + Names[signal] : "SIG" + signal.ToString(CultureInfo.InvariantCulture);
}
