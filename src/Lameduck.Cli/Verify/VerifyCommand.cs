using System.CommandLine;
using Lameduck.Cli.CommandLine;
using System.Text;
using Lameduck.Cli.Terminal;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.During;
using Lameduck.Cli.Verify.Metrics;
using Lameduck.Cli.Verify.Results;
using Lameduck.Text;

namespace Lameduck.Cli.Verify;

/// <summary>
/// <c>lameduck verify URL [flags]</c>: an open-model load run with reports and thresholds; and
/// <c>lameduck verify report results.csv</c>: the same reports rebuilt from a results file.
/// Exit codes: 0 thresholds hold, 1 one is exceeded, 2 bad usage, 130 interrupted (reports still written).
/// </summary>
public static class VerifyCommand
{
    /// <summary>Builds the <c>verify</c> command (with its <c>report</c> subcommand).</summary>
    public static Command Create()
    {
        var o = new VerifyOptions();
        var verify = new Command("verify", "Send requests at a fixed rate (open model) and prove the target answers them all, e.g. during a rollout.");
        verify.Arguments.Add(o.Url);
        foreach (var option in new Option[] { o.Rate, o.Duration, o.MaxInFlight, o.Timeout, o.Method, o.Header, o.Body, o.Http2, o.KeepAlive,
                     o.During, o.At, o.DuringLog, o.MaxErrors, o.MaxP99, o.Output, o.Report, o.Results })
            verify.Options.Add(option);
        verify.SetAction((parseResult, ct) => RunAsync(parseResult, o, ct));

        var report = new Command("report", "Rebuild the reports (and threshold verdict) of a run from its results file.");
        report.Arguments.Add(o.ResultsFile);
        foreach (var option in new Option[] { o.MaxErrors, o.MaxP99, o.Output, o.Report })
            report.Options.Add(option);
        report.SetAction(parseResult => Replay(parseResult, o));
        verify.Subcommands.Add(report);
        return verify;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, VerifyOptions o, CancellationToken _)
    {
        SocketTuning.PreferInlineCompletions(); // before the first socket (the preflight) is opened
        var stdout = parseResult.InvocationConfiguration.Output;
        var stderr = parseResult.InvocationConfiguration.Error;
        LoadOptions options;
        try
        {
            options = BuildLoadOptions(parseResult, o);
            CheckWritable(parseResult.GetValue(o.Report), "--report");
            if (parseResult.GetValue(o.During) is not null) CheckWritable(parseResult.GetValue(o.DuringLog), "--during-log");
        }
        catch (UsageException e)
        {
            return CommandError.Usage(stderr, "verify", e.Message);
        }

        using var interrupt = InterruptSignal.Register();
        try
        {
            await Preflight.CheckReachableAsync(options.Target, options.Timeout, interrupt.Token).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return CommandError.Usage(stderr, "verify", e.Message);
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("verify: interrupted before the run started; nothing was sent");
            return ExitCodes.Interrupted;
        }

        try
        {
            await Warmup.RunAsync(options, interrupt.Token).ConfigureAwait(false);
            // Compiled now, not at the first progress line 5 s into the run: there, compiling took the polling
            // thread's core for ~5 ms at 77,000 req/s (perf sched), which showed as send lag.
            Describe(new LoadProgress(TimeSpan.FromSeconds(1), 1, 1, 0, 0, 1));
            interrupt.Token.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("verify: interrupted before the run started; nothing was sent");
            return ExitCodes.Interrupted;
        }

        LoadGenerator created;
        try
        {
            created = new LoadGenerator(options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CommandError.Usage(stderr, "verify", $"--results: cannot write '{options.ResultsPath}': {e.Message}");
        }

        LoadResult result;
        await using (var generator = created)
        {
            stderr.WriteLine($"verify: {options.Method} {options.Target} at {options.Rate:0.###}/s for {DurationText.Format(options.Duration)} " +
                             $"(max in flight {options.EffectiveMaxInFlight}, timeout {DurationText.Format(options.Timeout)})");
            stderr.Flush();
            var run = generator.RunAsync(interrupt.Token);
            if (parseResult.GetValue(o.During) is { } commandLine)
            {
                var during = new DuringCommand(commandLine, parseResult.GetValue(o.At) ?? TimeSpan.Zero, parseResult.GetValue(o.DuringLog)!, generator.Events);
                var duringTask = during.RunAsync(interrupt.Token);
                // The run's report waits for the command's exit (or kills it) so its events are in every report.
                generator.BeforeCompletion(async () =>
                {
                    await during.FinishAsync().ConfigureAwait(false);
                    await duringTask.ConfigureAwait(false);
                });
            }
            var progress = ReferenceEquals(stderr, Console.Error)
                ? ProgressLine.StartOnStandardError(() => Describe(generator.Progress()))
                : ProgressLine.Start(() => Describe(generator.Progress()), stderr, isTerminal: false);
            try
            {
                result = await run.ConfigureAwait(false);
            }
            finally
            {
                await progress.DisposeAsync().ConfigureAwait(false);
            }
            if (generator.SchedulerWantsRealTime && !generator.SchedulerIsRealTime)
                stderr.WriteLine("verify: note: the scheduler ran at normal priority (real-time needs root or CAP_SYS_NICE); on a busy machine send lag is higher");
            if (FellBehindNote(result.Summary) is { } fellBehind) stderr.WriteLine(fellBehind);
        }
        return ReportOutput.Write(result, Thresholds(parseResult, o), parseResult.GetValue(o.Output)!, parseResult.GetValue(o.Report), stdout, stderr, live: true);
    }

    private static int Replay(ParseResult parseResult, VerifyOptions o)
    {
        var stderr = parseResult.InvocationConfiguration.Error;
        var path = parseResult.GetValue(o.ResultsFile)!;
        var metrics = new MetricsAccumulator();
        ResultsCsvReader.Contents contents;
        try
        {
            CheckWritable(parseResult.GetValue(o.Report), "--report");
            contents = ResultsCsvReader.Read(path, (in RequestResult r) => metrics.Add(r));
        }
        catch (Exception e) when (e is ResultsFormatException or UsageException)
        {
            return CommandError.Usage(stderr, "verify", e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CommandError.Usage(stderr, "verify", $"cannot read '{path}': {e.Message}");
        }
        var result = new LoadResult(contents.Run, metrics.Summarize(contents.Run.AttackDurationUs), [.. contents.Events.OrderBy(e => e.AtUs)]);
        return ReportOutput.Write(result, Thresholds(parseResult, o), parseResult.GetValue(o.Output)!, parseResult.GetValue(o.Report),
            parseResult.InvocationConfiguration.Output, stderr, live: false);
    }

    private static LoadOptions BuildLoadOptions(ParseResult p, VerifyOptions o)
    {
        var url = p.GetValue(o.Url)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            throw new UsageException($"url: '{url}' is not an absolute http:// or https:// URL");
        // --rate, --duration and --timeout are checked by their shared definitions (LoadFlags).
        var rate = p.GetValue(o.Rate);
        var duration = p.GetValue(o.Duration);
        var timeout = p.GetValue(o.Timeout);
        var maxInFlight = p.GetValue(o.MaxInFlight);
        if (maxInFlight < 0) throw new UsageException($"--max-in-flight must be >= 0 (got {maxInFlight}; 0 means the default)");
        if (p.GetValue(o.MaxErrors) is < 0) throw new UsageException("--max-errors must be >= 0");
        if (rate * duration.TotalSeconds < 1) throw new UsageException($"--rate × --duration is less than one request ({rate}/s for {DurationText.Format(duration)})");

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in p.GetValue(o.Header) ?? [])
        {
            var colon = header.IndexOf(':');
            if (colon <= 0) throw new UsageException($"--header: '{header}' is not 'Name: value'");
            headers.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }

        ReadOnlyMemory<byte>? body = null;
        if (p.GetValue(o.Body) is { } bodyText)
        {
            if (bodyText.StartsWith('@'))
            {
                try { body = File.ReadAllBytes(bodyText[1..]); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"--body: cannot read '{bodyText[1..]}': {e.Message}");
                }
            }
            else body = Encoding.UTF8.GetBytes(bodyText);
        }

        var resultsPath = p.GetValue(o.Results);
        CheckWritable(resultsPath, "--results");
        var method = p.GetValue(o.Method)!;
        if (method.Length == 0 || method.Any(c => !char.IsAsciiLetter(c)))
            throw new UsageException($"--method: '{method}' is not an HTTP method");
        return new LoadOptions
        {
            Target = target,
            Rate = rate,
            Duration = duration,
            Timeout = timeout,
            MaxInFlight = maxInFlight,
            Method = new HttpMethod(method.ToUpperInvariant()),
            Headers = headers,
            Body = body,
            Http2 = p.GetValue(o.Http2),
            KeepAlive = p.GetValue(o.KeepAlive),
            ResultsPath = resultsPath,
        };
    }

    private static Thresholds Thresholds(ParseResult p, VerifyOptions o) => new(p.GetValue(o.MaxErrors), p.GetValue(o.MaxP99));

    private static void CheckWritable(string? path, string flag)
    {
        if (path is null) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new UsageException($"{flag}: directory '{directory}' does not exist");
        if (Directory.Exists(path)) throw new UsageException($"{flag}: '{path}' is a directory");
    }

    /// <summary>Send lag p99 above which the report says verify, not the target, fell behind (10 ms: 50 wake quanta).</summary>
    internal const double FellBehindSendLagMs = 10;

    /// <summary>
    /// A note when verify itself could not keep its schedule: beyond its one thread's limit, requests wait for free
    /// connections and time, which reads like the target's latency, saturation and timeouts unless said.
    /// </summary>
    internal static string? FellBehindNote(LoadSummary s) =>
        s.SendLagMs.P99 <= FellBehindSendLagMs
            ? null
            : FormattableString.Invariant($"verify: note: send lag p99 {s.SendLagMs.P99:0.###} ms: ") +
              "verify fell behind its own schedule (its limit on this machine, or other work on it), so latencies, " +
              "saturated requests and timeouts in this run include verify's own delay; lower --rate or give verify a core of its own";

    /// <summary>The progress line: elapsed, sent, achieved rate, errors so far, in flight.</summary>
    internal static string Describe(LoadProgress p) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"verify: {p.Elapsed.TotalSeconds,6:0.0}s  sent {p.Scheduled}/{p.TotalRequests}  {p.AchievedRate,8:0.0}/s  done {p.Completed}  errors {p.Errors}  in flight {p.InFlight}");
}
