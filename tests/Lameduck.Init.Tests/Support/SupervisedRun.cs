using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Lameduck.Testing;

namespace Lameduck.Init.Tests.Support;

/// <summary>
/// One run of a supervisor (lameduck-init, or tini as the baseline) as a real process, with its stderr
/// collected line by line. Dispose kills it, its app's process group and anything it left behind.
/// </summary>
internal sealed partial class SupervisedRun : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SupervisedRun(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) _stderrClosed.TrySetResult();
            else _stderr.Enqueue(e.Data);
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _stdoutClosed.TrySetResult();
            else _stdout.Enqueue(e.Data);
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    /// <summary>Starts lameduck-init with <paramref name="args"/>; LAMEDUCK_* variables come only from <paramref name="environment"/>.</summary>
    public static SupervisedRun Init(IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Start(InitBinary.Path, args, environment);

    /// <summary>Starts any program the same way (tini for the baseline, or lameduck-init's verbs).</summary>
    public static SupervisedRun Start(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true, // not the test host's stdin: lameduck-init must not see a terminal
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("LAMEDUCK_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        return new SupervisedRun(Process.Start(info)!);
    }

    public int Pid => _process.Id;

    public IReadOnlyList<string> Stderr => _stderr.ToArray();

    public IReadOnlyList<string> Stdout => _stdout.ToArray();

    public string StderrText => string.Join('\n', _stderr);

    /// <summary>The app's pid (= its process group), from lameduck-init's start line.</summary>
    public int AppPid
    {
        get
        {
            var line = WaitForLine(" start: pid ");
            return int.Parse(StartPid().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    public void Signal(int signal) => Posix.Signal(Pid, signal);

    /// <summary>The first stderr line containing <paramref name="text"/>, waiting up to <paramref name="timeout"/> (30 s) for it.</summary>
    public string WaitForLine(string text, TimeSpan? timeout = null)
    {
        string? found = null;
        Wait.Until(() => (found = _stderr.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))) is not null,
            timeout ?? TimeSpan.FromSeconds(30), () => $"a stderr line with '{text}'; stderr so far:\n{StderrText}");
        return found!;
    }

    /// <summary>Milliseconds since SIGTERM that lameduck-init printed on the line for <paramref name="event"/>.</summary>
    public int ElapsedMsOf(string @event)
    {
        var line = WaitForLine($"ms] {@event}:");
        return int.Parse(Elapsed().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for exit and returns the exit code; fails with the stderr so far after <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout.TotalSeconds:0}s; stderr:\n{StderrText}");
        // All output read (bounded: a leftover grandchild could hold the pipes open).
        Task.WaitAll([_stderrClosed.Task, _stdoutClosed.Task], TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            var appGroups = _stderr.Select(l => StartPid().Match(l)).Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
            foreach (var group in appGroups) ProcTable.KillGroup(group);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }

    [GeneratedRegex(@" start: pid (\d+)")]
    private static partial Regex StartPid();

    [GeneratedRegex(@"\[\+(\d+)ms\]")]
    private static partial Regex Elapsed();
}
