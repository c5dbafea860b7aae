using System.Diagnostics;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// Starts a child in its own session and process group, stdin from /dev/null, stdout and stderr
/// appended to a log file: <c>sh -c 'exec setsid "$@" &lt;/dev/null &gt;&gt;LOG 2&gt;&amp;1'</c>. The shell only sets
/// up the redirections and is replaced by <c>setsid</c>, which is replaced by the command, so the
/// returned process's pid is the command's pid and its process group id. The kernel writes the
/// log (no pipes to pump), so it survives whatever happens to the lab.
/// </summary>
public static class DetachedProcess
{
    /// <summary>Starts <paramref name="command"/> (file then arguments) with extra environment variables.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started.</exception>
    public static Process Start(IReadOnlyList<string> command, IEnumerable<KeyValuePair<string, string>> environment, string logPath)
    {
        if (command.Count == 0) throw new ArgumentException("empty command", nameof(command));
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec setsid \"$@\" </dev/null >>\"$LAMEDUCK_LAB_LOG\" 2>&1");
        psi.ArgumentList.Add("sh");
        foreach (var arg in command) psi.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        psi.Environment["LAMEDUCK_LAB_LOG"] = logPath;
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {command[0]}");
    }
}
