using System.Diagnostics;
using System.Globalization;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// One replica: a child process on its own loopback port, in its own session and process group
/// (so the lab can kill everything it spawned, like a container's cgroup), with stdin from
/// /dev/null and stdout/stderr appended to a log file.
/// </summary>
public sealed class Replica : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _exitTimestamp;

    private Replica(string name, int port, string logPath, Process process)
    {
        Name = name;
        Port = port;
        LogPath = logPath;
        _process = process;
        Pid = process.Id;
        // A thread of its own waits for the exit (a blocked thread per replica, a handful per run) on a pidfd opened
        // now, before the child can have been reaped, and stamps it: see PidFd for why not .NET's own exit notice.
        int pidFd = PidFd.Open(Pid);
        new Thread(() => WaitForExit(pidFd)) { IsBackground = true, Name = "lab replica " + name + " exit" }.Start();
    }

    /// <summary>Name in reports and events: <c>r1</c>, <c>r2</c>...</summary>
    public string Name { get; }

    /// <summary>The loopback port the replica was told to listen on.</summary>
    public int Port { get; }

    /// <summary>The process id, which is also the process group id.</summary>
    public int Pid { get; }

    /// <summary>Where the replica's stdout and stderr go.</summary>
    public string LogPath { get; }

    /// <summary>Completes with the exit code when the process exits (128 + signal number when a signal ended it).</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>
    /// When the process exited, as a <see cref="Stopwatch"/> timestamp taken the moment the kernel said so (its pidfd
    /// turned readable), not when .NET reaped it or <see cref="Exited"/>'s continuations ran; valid once
    /// <see cref="Exited"/> has completed.
    /// </summary>
    public long ExitTimestamp => Volatile.Read(ref _exitTimestamp);

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => Exited.IsCompleted;

    /// <summary>
    /// Starts <paramref name="template"/> with <c>{port}</c> and <c>PORT</c> set to <paramref name="port"/>, and
    /// <c>POD_NAME</c> set to <paramref name="name"/> (what a pod gets from the downward API's
    /// <c>metadata.name</c>: an app can tell clients which replica served them, as <c>lab --sessions</c> needs).
    /// </summary>
    /// <exception cref="InvalidOperationException">The command cannot be started.</exception>
    public static Replica Start(ReplicaTemplate template, string name, int port, string logDirectory)
    {
        var logPath = Path.Combine(logDirectory, name + ".log");
        var environment = new Dictionary<string, string>(template.Environment)
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["POD_NAME"] = name,
        };
        var process = DetachedProcess.Start(CommandText.WithPort(template.Command, port), environment, logPath);
        return new Replica(name, port, logPath, process);
    }

    /// <summary>Sends a signal to the replica's main process (what the kubelet's stop signal does to PID 1).</summary>
    public bool Signal(int signal) => !HasExited && ProcessSignals.Send(Pid, signal);

    /// <summary>
    /// SIGKILL to the replica and anything it spawned, like the runtime killing the container's cgroup: its
    /// process group, then every process left in its session (an init's app runs in a process group of its own).
    /// </summary>
    public void KillGroup()
    {
        ProcessSignals.Send(-Pid, SignalTable.SIGKILL);
        // Twice: a process forked by one not yet killed during the first pass is found by the second.
        for (var pass = 0; pass < 2; pass++)
            foreach (var pid in ProcessSession.Members(Pid)) ProcessSignals.Send(pid, SignalTable.SIGKILL);
    }

    /// <summary>The last lines of the replica's log, for error messages.</summary>
    public string LogTail(int lines = 15)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Kills the process group (if anything is left), waits for the exit to be reaped, releases the handle.</summary>
    public void Dispose()
    {
        KillGroup();
        if (Exited.Wait(TimeSpan.FromSeconds(10))) _process.Dispose();
    }

    private void WaitForExit(int pidFd)
    {
        try
        {
            // Without a pidfd, or if waiting on it failed, .NET's own notice is the exit's time.
            if (pidFd < 0 || !PidFd.WaitAndClose(pidFd)) _process.WaitForExit();
            Volatile.Write(ref _exitTimestamp, Stopwatch.GetTimestamp());
            _process.WaitForExit(); // reaped by .NET, for the exit code (at once if waited for above)
            _exited.SetResult(_process.ExitCode);
        }
        catch (Exception e)
        {
            _exited.SetException(e);
        }
    }
}
