using System.Globalization;
using System.Runtime.InteropServices;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// Linux signal numbers by name and the <c>kill(2)</c> call the lab needs to signal a replica
/// (one process) or its whole process group (a negative pid), the way the kubelet signals a container.
/// </summary>
public static partial class PosixSignal
{
    /// <summary>SIGHUP.</summary>
    public const int Hup = 1;
    /// <summary>SIGINT.</summary>
    public const int Int = 2;
    /// <summary>SIGQUIT (nginx's and php-fpm's graceful stop).</summary>
    public const int Quit = 3;
    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;
    /// <summary>SIGUSR1 (HAProxy's graceful stop).</summary>
    public const int Usr1 = 10;
    /// <summary>SIGUSR2.</summary>
    public const int Usr2 = 12;
    /// <summary>SIGTERM (Kubernetes' default stop signal).</summary>
    public const int Term = 15;

    private static readonly Dictionary<string, int> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = Hup, ["INT"] = Int, ["QUIT"] = Quit, ["KILL"] = Kill,
        ["USR1"] = Usr1, ["USR2"] = Usr2, ["TERM"] = Term, ["WINCH"] = 28,
    };

    /// <summary>Parses <c>TERM</c>, <c>SIGTERM</c> or <c>15</c>.</summary>
    public static bool TryParse(string? text, out int signal)
    {
        signal = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out signal)) return signal is > 0 and < 65;
        if (s.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) s = s[3..];
        return ByName.TryGetValue(s, out signal);
    }

    /// <summary>The conventional name: <c>SIGTERM</c>.</summary>
    public static string Name(int signal)
    {
        foreach (var (name, number) in ByName)
        {
            if (number == signal) return "SIG" + name;
        }
        return "signal " + signal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sends <paramref name="signal"/> to a process, or to a process group when <paramref name="pid"/> is negative. False when no such process (already gone).</summary>
    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>True while a process with this pid exists (a zombie counts).</summary>
    public static bool Exists(int pid) => kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM: exists, not ours */;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
