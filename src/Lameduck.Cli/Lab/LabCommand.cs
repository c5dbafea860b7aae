using System.CommandLine;
using System.Globalization;
using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Ingress;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Lab.Reports;
using Lameduck.Cli.Lab.Rollout;
using Lameduck.Cli.Lab.Samples;
using Lameduck.Cli.Lab.Sessions;
using Lameduck.Cli.Terminal;
using Lameduck.Cli.Verify;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Reports;
using Lameduck.Text;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lab;

/// <summary>
/// <c>lameduck lab [flags] -- COMMAND ARGS</c> and <c>lameduck lab --sample baseline|lameduck|both</c>:
/// a Kubernetes-style rolling update on one machine, with real processes and a real proxy, under
/// verify's load. Exit codes: 0 done (and within <c>--max-errors</c>), 1 errors above
/// <c>--max-errors</c> or a failed rollout, 2 bad usage or missing proxy, 130 interrupted (reports still written).
/// </summary>
public static class LabCommand
{
    /// <summary>Builds the <c>lab</c> command.</summary>
    public static Command Create()
    {
        var o = new LabOptions();
        var lab = new Command("lab", "Run a Kubernetes-style rolling update on this machine (replicas as processes, a real ingress, endpoint propagation, preStop, SIGTERM, SIGKILL) under load, and report every dropped request.");
        lab.Arguments.Add(o.Command);
        foreach (var option in o.All) lab.Options.Add(option);
        lab.SetAction((parseResult, _) => RunAsync(parseResult, o));
        return lab;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, LabOptions o)
    {
        var stdout = parseResult.InvocationConfiguration.Output;
        var stderr = parseResult.InvocationConfiguration.Error;
        IReadOnlyList<Func<LabSettings>> plan;
        try
        {
            plan = Plan(parseResult, o, stderr);
        }
        catch (Exception e) when (e is UsageException or IngressUnavailableException)
        {
            return CommandError.Usage(stderr, "lab", e.Message);
        }

        using var interrupt = InterruptSignal.Register();
        var runs = new List<LabRun>();
        bool failed = false;
        foreach (var makeSettings in plan)
        {
            if (interrupt.Token.IsCancellationRequested) break;
            LabSettings settings;
            try
            {
                settings = makeSettings();
            }
            catch (UsageException e)
            {
                return CommandError.Usage(stderr, "lab", e.Message); // e.g. --sample outside a clone of the repository
            }
            catch (LabException e)
            {
                CommandError.Write(stderr, "lab", e.Message); // e.g. the sample did not build: not the user's usage
                return ExitCodes.Failed;
            }
            stderr.WriteLine($"lab: {settings.App}: {settings.Strategy.Replicas} replicas behind {settings.Ingress.Name()}, " +
                             $"{settings.LoadText}, rollout at {DurationText.Format(settings.RolloutAt)}, propagation {settings.Propagation}");
            try
            {
                var run = await RunOneAsync(settings, stderr, interrupt.Token).ConfigureAwait(false);
                if (run is null) break;
                runs.Add(run);
                WriteIngressErrors(run, stderr);
                if (run.Lab.Rollout?.Failure is { } why)
                {
                    stderr.WriteLine($"lab: {settings.App}: the rollout failed: {why}");
                    failed = true;
                }
            }
            catch (IngressUnavailableException e)
            {
                return CommandError.Usage(stderr, "lab", e.Message); // the chosen proxy is not installed or does not start
            }
            catch (LabException e)
            {
                CommandError.Write(stderr, "lab", e.Message);
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or UnauthorizedAccessException)
            {
                // Every process the run started is already gone (LabRunner cleans up before it rethrows).
                CommandError.Write(stderr, "lab", $"the lab stopped: {e.GetType().Name}: {e.Message}");
                return ExitCodes.Failed;
            }
        }
        if (runs.Count == 0)
        {
            stderr.WriteLine("lab: interrupted before the load started; nothing was measured");
            return ExitCodes.Interrupted;
        }

        WriteReports(runs, parseResult.GetValue(o.Output)!, parseResult.GetValue(o.Report), stdout);
        if (parseResult.GetValue(o.MaxErrors) is { } maxErrors)
        {
            foreach (var run in runs.Where(r => r.Load.Summary.Errors > maxErrors))
            {
                stderr.WriteLine($"lab: {run.Settings.App}: {run.Load.Summary.Errors} errors, more than --max-errors {maxErrors}");
                failed = true;
            }
        }
        if (interrupt.Token.IsCancellationRequested || runs.Any(r => r.Lab.Interrupted))
        {
            stderr.WriteLine("lab: interrupted; the reports cover what was measured before the stop, and every process was stopped");
            return ExitCodes.Interrupted;
        }
        return failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>How many of the ingress's error-log lines <see cref="WriteIngressErrors"/> prints.</summary>
    private const int IngressErrorsShown = 5;

    /// <summary>
    /// The ingress server's own errors (nginx's error log), which say why a request failed where the status code does
    /// not: a refused connect (the pod had stopped listening) reads differently from a connection closed under a request.
    /// </summary>
    private static void WriteIngressErrors(LabRun run, TextWriter stderr)
    {
        var errors = run.Lab.IngressErrors;
        if (errors.Count == 0) return;
        var shown = Math.Min(errors.Count, IngressErrorsShown);
        stderr.WriteLine($"lab: {run.Settings.App}: {run.Lab.Ingress} logged {errors.Count} error{(errors.Count == 1 ? "" : "s")} " +
                         $"(why it answered 502/504){(shown < errors.Count ? $"; the first {shown}" : "")}:");
        foreach (var line in errors.Take(shown)) stderr.WriteLine("  " + line);
    }

    /// <summary>Runs one lab under verify's load; null when interrupted before the load started.</summary>
    private static async Task<LabRun?> RunOneAsync(LabSettings settings, TextWriter stderr, CancellationToken ct)
    {
        var events = new LabEventLog(stderr);
        var runner = new LabRunner(settings, events);
        LoadResult? load = null;
        SessionsResult? sessions = null;
        long loadT0 = 0;
        // Long-lived sessions, opened before the load (and the rollout's clock) starts, held until the load is over
        // (which waits for the rollout): every session starts on an old pod, however slowly the machine connects them.
        using var endSessions = new CancellationTokenSource();
        Task<SessionsResult>? holding = null;
        async Task OpenSessionsAsync(Uri target, CancellationToken stop)
        {
            if (settings.Sessions is not { Any: true } sessionSettings) return;
            // A session still on a pod that has exited when the load ends is being cut: the pool lets it see that.
            var pool = new SessionPool(sessionSettings, target, () => events.Now, runner.HasExited);
            holding = pool.RunAsync(endSessions.Token, abort: stop);
            try
            {
                await pool.AllOpen.WaitAsync(sessionSettings.Timeout, stop).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                stderr.WriteLine($"lab: {pool.Opened} of {pool.Size} sessions open after {DurationText.Format(sessionSettings.Timeout)}; starting the load anyway (the report lists the failed attempts)");
            }
        }
        var lab = await runner.RunAsync(async (target, stop) =>
        {
            await using var generator = new LoadGenerator(new LoadOptions
            {
                Target = target,
                Rate = settings.Rate,
                Duration = settings.Duration,
                Timeout = settings.Timeout,
                KeepAlive = settings.KeepAlive,
                // Room for the whole rate to stall for a whole timeout: a replica or proxy starved during the
                // rollout shows as slow answers or timeouts, never as requests the lab itself chose not to send.
                MaxInFlight = (int)Math.Clamp(Math.Ceiling(settings.Rate * settings.Timeout.TotalSeconds), 64, 10_000),
            });
            // Lifecycle events become markers on the load's timeline (HTML report, text report, JSON "events"), at their
            // own time: an exit is recorded when the terminator gets to it, stamped when the kernel said so.
            void Forward(LabEvent e)
            {
                if (e.Kind != LabEventKind.Load) generator.Events.AddAt(events.TimestampOf(e.At), e.Marker, e.MarkerDetail);
            }
            events.Recorded += Forward;
            // The report waits for the rollout, so its last events are in it even when it outlasts the load.
            generator.BeforeCompletion(() => runner.RolloutFinished);
            var progress = ProgressLine.Start(() => Describe(generator.Progress()), stderr, isTerminal: false);
            using var loadOver = new CancellationTokenSource();
            var ending = settings.EndAfterRollout is { } tail ? EndAfterRolloutAsync(generator, runner.RolloutFinished, tail, loadOver.Token) : Task.CompletedTask;
            try
            {
                load = await generator.RunAsync(stop).ConfigureAwait(false);
                loadT0 = generator.Events.T0Timestamp;
            }
            finally
            {
                await loadOver.CancelAsync().ConfigureAwait(false);
                await ending.ConfigureAwait(false);
                events.Recorded -= Forward;
                await progress.DisposeAsync().ConfigureAwait(false);
                await endSessions.CancelAsync().ConfigureAwait(false);
                if (holding is not null) sessions = await holding.ConfigureAwait(false);
            }
        }, ct, OpenSessionsAsync).ConfigureAwait(false);
        if (load is null) return null;
        // Reports count time from the load's t0 (its first request due), the clock of the request timeline, so that a
        // replica's marks line up with the requests it failed. t0 comes after the lab's "load" event by the generator's
        // warm-up (about 50 ms here); counted from that event, every lifecycle mark would sit that much too late.
        return new LabRun(settings, lab with { LoadStartedAt = events.TimeOf(loadT0) }, load, sessions);
    }

    /// <summary>
    /// <c>--end-after-rollout</c>: the load's schedule ends <paramref name="tail"/> after the rollout is over, so a run
    /// covers the rollout and a little of the new pods' service without a --duration guessed for the slowest machine.
    /// </summary>
    private static async Task EndAfterRolloutAsync(LoadGenerator generator, Task rolloutFinished, TimeSpan tail, CancellationToken loadOver)
    {
        try
        {
            await rolloutFinished.WaitAsync(loadOver).ConfigureAwait(false);
            await Task.Delay(tail, loadOver).ConfigureAwait(false);
            generator.EndSchedule();
        }
        catch (OperationCanceledException) when (loadOver.IsCancellationRequested)
        {
            // The load ended first (its --duration, or an interrupt): nothing to end.
        }
    }

    private static string Describe(LoadProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"load: {p.Elapsed.TotalSeconds:0}s, {p.Completed} answered, {p.Errors} errors, {p.InFlight} in flight");

    private static void WriteReports(IReadOnlyList<LabRun> runs, string format, string? htmlPath, TextWriter stdout)
    {
        if (format == "json")
        {
            if (runs.Count == 1) JsonReport.Write(LabJsonReport.ToJson(runs[0]), stdout);
            else
            {
                var both = new System.Text.Json.Nodes.JsonObject();
                foreach (var run in runs) both[run.Settings.App] = LabJsonReport.ToJson(run);
                JsonReport.Write(both, stdout);
            }
        }
        else
        {
            foreach (var run in runs)
            {
                if (runs.Count > 1) stdout.WriteLine($"== {run.Settings.App}");
                LabTextReport.Write(run, stdout);
                stdout.WriteLine();
            }
            if (runs.Count > 1) BeforeAfterTable.Write(runs, stdout);
        }
        stdout.Flush();
        if (htmlPath is null) return;
        // One page: with --sample both the runs are drawn one above the other on one time axis.
        using var file = new StreamWriter(htmlPath);
        LabHtmlReport.Write(runs, file);
    }

    /// <summary>Validates the flags and returns one settings factory per run (two for <c>--sample both</c>); factories may build the sample.</summary>
    private static IReadOnlyList<Func<LabSettings>> Plan(ParseResult p, LabOptions o, TextWriter stderr)
    {
        var command = p.GetValue(o.Command) ?? [];
        var sample = p.GetValue(o.Sample);
        if (sample is null && command.Length == 0)
            throw new UsageException("give the app to run after --, e.g. lameduck lab -- dotnet MyApp.dll --urls http://127.0.0.1:{port}, or use --sample baseline|lameduck|both");
        if (sample is not null && command.Length > 0)
            throw new UsageException("--sample runs HelloService; do not also give a COMMAND after --");

        var strategy = new RolloutStrategy(p.GetValue(o.Replicas), p.GetValue(o.MaxSurge), p.GetValue(o.MaxUnavailable));
        if (strategy.Validate() is { } strategyError) throw new UsageException(strategyError);
        var rate = p.GetValue(o.Rate);
        var duration = p.GetValue(o.Duration);
        var rolloutAt = p.GetValue(o.RolloutAt);
        if (rolloutAt >= duration) throw new UsageException($"--rollout-at ({DurationText.Format(rolloutAt)}) must be within --duration ({DurationText.Format(duration)}), or the rollout would happen without load");
        var endAfterRollout = p.GetValue(o.EndAfterRollout); // a duration: never negative (the parser says so)
        var seed = p.GetValue(o.Seed);
        PropagationDelay propagation;
        try { propagation = PropagationDelay.Parse(p.GetValue(o.Propagation)!, seed); }
        catch (FormatException e) { throw new UsageException("--propagation: " + e.Message + " (expected e.g. 2s or 0.5s..3s)"); }
        var grace = p.GetValue(o.GracePeriod);
        if (grace <= TimeSpan.Zero) throw new UsageException("--grace-period must be > 0");
        if (!SignalTable.TryParse(p.GetValue(o.StopSignal), out var stopSignal))
            throw new UsageException($"--stop-signal: '{p.GetValue(o.StopSignal)}' is not a signal (TERM, QUIT, INT, HUP, USR1, USR2 or a number)");
        PreStopHook? preStop = null;
        if (p.GetValue(o.PreStop) is { } preStopText && p.GetValue(o.PreStopSleep) is not null)
            throw new UsageException("--pre-stop and --pre-stop-sleep are alternatives (a pod has one preStop hook)");
        if (p.GetValue(o.PreStop) is { } exec)
        {
            IReadOnlyList<string> args;
            try { args = CommandText.Split(exec); }
            catch (FormatException e) { throw new UsageException("--pre-stop: " + e.Message); }
            if (args.Count == 0) throw new UsageException("--pre-stop: empty command");
            preStop = new PreStopHook.Exec(args);
        }
        if (p.GetValue(o.PreStopSleep) is { } sleep) preStop = new PreStopHook.Sleep(sleep);
        var readinessPeriod = p.GetValue(o.ReadinessPeriod);
        if (readinessPeriod <= TimeSpan.Zero) throw new UsageException("--readiness-period must be > 0");
        var timeout = p.GetValue(o.Timeout);
        var env = new Dictionary<string, string>();
        foreach (var pair in p.GetValue(o.Env) ?? [])
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--env: '{pair}' is not KEY=VALUE");
            env[pair[..eq]] = pair[(eq + 1)..];
        }
        var sessionCount = p.GetValue(o.Sessions);
        if (sessionCount < 0) throw new UsageException($"--sessions must be 0 or more (got {sessionCount})");
        var wsPath = p.GetValue(o.WebSocketPath)!;
        var ssePath = p.GetValue(o.SsePath)!;
        foreach (var (flag, path) in new[] { ("--ws-path", wsPath), ("--sse-path", ssePath) })
        {
            if (!path.StartsWith('/') || !Uri.TryCreate(new Uri("http://127.0.0.1/"), path, out _))
                throw new UsageException($"{flag}: '{path}' is not a path (expected e.g. /ws)");
        }
        SessionProtocol[] protocols = p.GetValue(o.SessionProtocol) switch
        {
            "sse" => [SessionProtocol.Sse],
            "both" => [SessionProtocol.WebSocket, SessionProtocol.Sse],
            _ => [SessionProtocol.WebSocket],
        };
        var sessions = sessionCount == 0 ? null : new SessionSettings(sessionCount, protocols, wsPath, ssePath, timeout);
        var ingress = IngressFactory.Parse(p.GetValue(o.Ingress)!);
        if (ingress == IngressKind.Nginx) SystemTool.Locate("nginx", "nginx-light");
        if (ingress == IngressKind.Haproxy) SystemTool.Locate("haproxy", "haproxy");

        LabSettings Settings(string app, ReplicaTemplate template) => new()
        {
            Template = template,
            App = app,
            Strategy = strategy,
            Rate = rate,
            Duration = duration,
            EndAfterRollout = endAfterRollout,
            RolloutAt = rolloutAt,
            Ingress = ingress,
            IngressRetries = p.GetValue(o.IngressRetries),
            Propagation = propagation,
            Seed = seed,
            Termination = new TerminationSettings(grace, preStop, stopSignal),
            Probe = ProbeSettings.Default(p.GetValue(o.ReadinessPath)!) with { Period = readinessPeriod },
            Timeout = timeout,
            KeepAlive = p.GetValue(o.KeepAlive),
            Sessions = sessions,
        };
        var preStopTime = preStop is PreStopHook.Sleep s ? s.Duration : TimeSpan.Zero;
        Func<LabSettings> SampleRun(bool graceful) => () => Settings(graceful ? "lameduck" : "baseline",
            HelloServiceSample.Template(graceful, grace, preStopTime, env, stderr));
        return sample switch
        {
            "baseline" => [SampleRun(false)],
            "lameduck" => [SampleRun(true)],
            "both" => [SampleRun(false), SampleRun(true)],
            _ => [() => Settings(Path.GetFileName(command[0]), LameduckInitBudget.Apply(new ReplicaTemplate(command, env), grace, preStopTime, stderr))],
        };
    }
}
