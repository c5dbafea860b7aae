using System.Diagnostics;
using System.Globalization;
using Lameduck.Cli.Verify.Events;

namespace Lameduck.Cli.Verify.During;

/// <summary>
/// Runs the <c>--during</c> command (through <c>/bin/sh -c</c>) a set time into a load run, e.g.
/// <c>kubectl rollout restart deploy/web &amp;&amp; kubectl rollout status deploy/web</c>; records its start and
/// exit as events and appends its stdout and stderr to a log file. A command still running when the load run
/// ends is killed (with its process tree) and reported as failed.
/// </summary>
/// <example>
/// <code>
/// var during = new DuringCommand("kubectl rollout restart deploy/web", TimeSpan.FromSeconds(30), "during.log", generator.Events);
/// var duringTask = during.RunAsync(stop);
/// var result = await generator.RunAsync(stop);
/// var outcome = await during.FinishAsync();
/// </code>
/// </example>
public sealed class DuringCommand(string commandLine, TimeSpan at, string logPath, EventRecorder events)
{
    private readonly TaskCompletionSource<DuringOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Process? _process;
    private bool _finishing;

    /// <summary>Waits until <c>at</c> on the run's clock, then runs the command to its end.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var wait = at - Stopwatch.GetElapsedTime(events.T0Timestamp);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, stop).ConfigureAwait(false);
            await RunProcessAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Fail("not started: the run was interrupted before --at");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            Fail($"could not start: {e.Message}");
        }
    }

    /// <summary>Called when the load run ended: kills the command if it is still running and returns how it ended.</summary>
    public async Task<DuringOutcome> FinishAsync()
    {
        Process? running;
        lock (_gate)
        {
            _finishing = true;
            running = _process;
        }
        if (!_outcome.Task.IsCompleted)
        {
            if (running is null) Fail("not started: the run ended before --at");
            else
            {
                try { running.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* exited meanwhile */ }
            }
        }
        return await _outcome.Task.ConfigureAwait(false);
    }

    private async Task RunProcessAsync()
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        await using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var logGate = new Lock();
        void Append(string? line)
        {
            if (line is null) return;
            lock (logGate) log.WriteLine(line);
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        lock (_gate)
        {
            if (_finishing) { Fail("not started: the run ended before --at"); return; }
            log.WriteLine($"# {DateTimeOffset.UtcNow:O} $ {commandLine}");
            process.Start();
            _process = process;
        }
        events.Add(DuringOutcome.StartEvent, commandLine);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync().ConfigureAwait(false);

        bool killed;
        lock (_gate) killed = _finishing;
        var code = process.ExitCode;
        if (killed && code != 0)
        {
            Fail($"still running when the load run ended; killed (see {logPath})");
            return;
        }
        events.Add(DuringOutcome.ExitEvent, "exit code " + code.ToString(CultureInfo.InvariantCulture));
        lock (logGate) log.WriteLine($"# {DateTimeOffset.UtcNow:O} exit code {code}");
        _outcome.TrySetResult(new DuringOutcome(commandLine, code, code == 0 ? null : $"exited with code {code} (see {logPath})"));
    }

    private void Fail(string problem)
    {
        if (_outcome.Task.IsCompleted) return;
        events.Add(DuringOutcome.FailedEvent, problem);
        _outcome.TrySetResult(new DuringOutcome(commandLine, null, problem));
    }
}
