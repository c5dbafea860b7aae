using System.Diagnostics;
using Lameduck.Init.Drain;
using Lameduck.Init.Native;
using Lameduck.Init.Options;
using Lameduck.Init.Signals;
using Lameduck.Text;
using Lameduck.Contract.Signals;
using Lameduck.Contract.Init;
using Lameduck.Contract.Presets;

namespace Lameduck.Init.Supervision;

/// <summary>
/// Runs the app and shuts it down the lame-duck way. One loop on one thread, like tini:
/// <code>
/// running ──SIGTERM──► lame duck ──delay over, or no request bytes──► stopping ──app exits──► exit with its code
///                      (app serves)   sends the stop signal             │
///                                                                       └─grace − margin──► SIGKILL group, exit 137
/// </code>
/// HUP, INT, QUIT, USR1, USR2 and WINCH go to the app's process group as they arrive, except the
/// --term-signals (TERM, and by default the stop signal, which Kubernetes sends when the image's
/// STOPSIGNAL says so): those start the sequence.
/// </summary>
internal sealed class Supervisor(InitSettings options, EventLog log)
{
    /// <summary>Exit code when lameduck-init had to SIGKILL the app at the deadline (128 + SIGKILL, as shells report it).</summary>
    public const int KilledAtDeadlineExitCode = 137;

    private static readonly int[] Forwardable =
        [SignalTable.SIGHUP, SignalTable.SIGINT, SignalTable.SIGQUIT, SignalTable.SIGUSR1, SignalTable.SIGUSR2, SignalTable.SIGWINCH, SignalTable.SIGTERM];

    private enum Phase { Running, LameDuck, Stopping, Killed }

    private Phase _phase = Phase.Running;
    private long _termAt;
    private LameDuckWindow _window = null!;

    /// <summary>Starts the app and supervises it until it exits; returns lameduck-init's exit code.</summary>
    public int Run()
    {
        // Catch signals before the app exists, so none is lost. Not SIGCHLD: see Reaper.
        var caught = new List<int>(Forwardable);
        foreach (var signal in options.TermSignals)
            if (!caught.Contains(signal)) caught.Add(signal);
        using var inbox = new SignalInbox(caught);
        Reaper.ResetChildSignal();
        bool subreaper = Reaper.BecomeSubreaper();
        _window = LameDuckWindow.Prepare(options, log);

        int pid;
        try
        {
            pid = Spawner.Spawn(options.Command);
        }
        catch (SpawnException e)
        {
            log.Write("error", e.Message);
            return e.ExitCode;
        }
        GiveTerminal(pid);
        // Forward as the signal arrives, on the runtime's handler thread; signals that came before the
        // app existed are still in the queue and are forwarded by the loop below.
        inbox.FastPath = signal =>
        {
            if (IsTermSignal(signal)) return false;
            Forward(pid, signal);
            return true;
        };
        var reaper = new Reaper(pid, inbox);
        log.Write("start", $"pid {pid} ({string.Join(' ', options.Command)}), {Describe(subreaper)}");

        while (true)
        {
            int signal = inbox.Take(TimeUntilNextDeadline());
            if (signal != 0) Handle(signal, pid);
            if (reaper.MainStatus is not null) break;
            OnTimers(pid);
        }

        var status = reaper.MainStatus!.Value;
        int code = _phase == Phase.Killed ? KilledAtDeadlineExitCode : status.ShellCode;
        if (code == 143 && options.Exit143As0) code = 0;
        log.Write("exit", $"app {status}; exiting with {code}" +
            (_phase == Phase.Killed ? " (killed at the deadline)" : "") +
            $"; {reaper.OrphansReaped} orphaned processes reaped");
        return code;
    }

    private void Handle(int signal, int pid)
    {
        if (signal == SignalTable.SIGCHLD) return; // posted by the reaper: the app has exited
        if (IsTermSignal(signal))
        {
            if (_phase == Phase.Running) BeginTermination(pid, signal);
            else log.Write("signal", $"{SignalTable.Name(signal)} again: already stopping, not forwarded");
            return;
        }
        Forward(pid, signal);
    }

    private void Forward(int pid, int signal)
    {
        SendToGroup(pid, signal);
        log.Write("forward", $"{SignalTable.Name(signal)} to process group {pid}");
    }

    private bool IsTermSignal(int signal)
    {
        foreach (var term in options.TermSignals)
            if (term == signal) return true;
        return false;
    }

    private void BeginTermination(int pid, int signal)
    {
        _termAt = Stopwatch.GetTimestamp();
        log.MarkTermination(_termAt);
        _phase = Phase.LameDuck;
        _window.Begin(_termAt);
        log.Write("shutdown", $"{SignalTable.Name(signal)} received; lame duck: the app keeps serving for {_window.Describe()}; " +
            $"SIGKILL at {DurationText.Format(options.KillAfter)}");
        OnTimers(pid); // --delay 0 sends the stop signal at once
    }

    private void OnTimers(int pid)
    {
        if (_phase == Phase.Running || _phase == Phase.Killed) return;
        var elapsed = Stopwatch.GetElapsedTime(_termAt);

        if (_phase == Phase.LameDuck)
        {
            string? why = _window.Check(Stopwatch.GetTimestamp());
            if (why is not null)
            {
                _phase = Phase.Stopping;
                log.Write("stop", $"{why}; sent {SignalTable.Name(options.StopSignal)} to {SendStopSignal(pid)}");
            }
        }

        if (_phase == Phase.Stopping && elapsed >= options.KillAfter)
        {
            _phase = Phase.Killed;
            SendToGroup(pid, SignalTable.SIGKILL);
            log.Write("kill", $"still running at grace period {DurationText.Format(options.GracePeriod)} - " +
                (options.PreStop > TimeSpan.Zero ? $"preStop {DurationText.Format(options.PreStop)} - " : "") +
                $"margin {DurationText.Format(options.Margin)}; sent SIGKILL to process group {pid}");
        }
    }

    private TimeSpan TimeUntilNextDeadline()
    {
        if (_phase == Phase.LameDuck) return _window.UntilNextCheck(Stopwatch.GetTimestamp());
        if (_phase != Phase.Stopping) return Timeout.InfiniteTimeSpan;
        var wait = options.KillAfter - Stopwatch.GetElapsedTime(_termAt);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>
    /// The stop signal goes to the app alone when the app is its preset's server binary: a server's master relays its
    /// graceful signal to its workers (as <c>nginx -s quit</c> or <c>kill -USR1 1</c> would reach only the master), and
    /// a worker that gets it twice, directly and relayed, can die of the second: HAProxy's -W worker, once its soft
    /// stop is done, is killed by it (exit 138). Anything else, a shell that does not exec included, gets it with its
    /// whole process group. Returns whom it went to, for the log.
    /// </summary>
    private string SendStopSignal(int pid)
    {
        if (options.Preset is { } preset && ProcessName(pid) is { } name && ServerPresets.IsServerBinary(name, preset))
        {
            ProcessSignals.Send(pid, options.StopSignal);
            return $"{name} (pid {pid}), whose master relays it to its workers";
        }
        SendToGroup(pid, options.StopSignal);
        return $"process group {pid}";
    }

    // The kernel's name of the process (its executable's file name, 15 characters at most), or null once it is gone.
    private static string? ProcessName(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n'); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static void SendToGroup(int pgid, int signal)
    {
        // The group, not just the app: workers of a master that has died, and children of a wrapper
        // script, get the signal too. If the group is gone (ESRCH) the reaper is about to see it.
        if (!ProcessSignals.Send(-pgid, signal)) ProcessSignals.Send(pgid, signal);
    }

    // The app runs in its own process group; when we own the terminal, hand it over so the app can read
    // it without SIGTTIN and Ctrl-C reaches it (tini does the same).
    private static void GiveTerminal(int pgid)
    {
        if (Libc.isatty(0) == 1 && Libc.tcgetpgrp(0) == Libc.getpgrp()) Libc.tcsetpgrp(0, pgid);
    }

    private string TermSignalNames()
    {
        var names = new string[options.TermSignals.Count];
        for (int i = 0; i < names.Length; i++) names[i] = SignalTable.Name(options.TermSignals[i]);
        return string.Join('/', names);
    }

    private string Drain() => options.DrainPort is int port
        ? $" (drain port {port}: quiet period {DurationText.Format(options.QuietPeriod)}, min delay {DurationText.Format(options.MinDelay)}" +
          $"{(_window.Watching ? "" : ", not watched")})"
        : "";

    private string Describe(bool subreaper)
    {
        string preset = options.Preset is null ? "no preset"
            : $"preset {options.Preset.Name}{(options.PresetGuessed ? " (guessed from the command)" : "")}";
        string reaping = Libc.getpid() == 1 ? "PID 1"
            : subreaper ? "child subreaper" : "NOT a subreaper (prctl failed): orphans go to PID 1";
        return $"{preset}, stop signal {SignalTable.Name(options.StopSignal)}, " +
               $"shutdown on {TermSignalNames()}, delay {DurationText.Format(options.Delay)}{Drain()}, " +
               $"grace period {DurationText.Format(options.GracePeriod)}" +
               (options.PreStop > TimeSpan.Zero ? $" (preStop {DurationText.Format(options.PreStop)})" : "") +
               $", margin {DurationText.Format(options.Margin)}, {reaping}";
    }
}
