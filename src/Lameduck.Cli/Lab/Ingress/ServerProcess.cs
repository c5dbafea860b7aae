using System.Diagnostics;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab.Ingress;

/// <summary>
/// A proxy server (nginx, haproxy) run in the foreground as the lab's child, in its own process
/// group, output appended to a log file in the work directory; killed with its workers on dispose.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
        Pid = process.Id;
    }

    public int Pid { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(string executable, IEnumerable<string> args, string logPath)
    {
        var process = Replicas.DetachedProcess.Start([executable, .. args], [], logPath);
        return new ServerProcess(process, logPath);
    }

    public string LogTail()
    {
        try { return string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(10)); }
        catch (IOException) { return ""; }
    }

    public void Dispose()
    {
        ProcessSignals.Send(-Pid, SignalTable.SIGKILL);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
