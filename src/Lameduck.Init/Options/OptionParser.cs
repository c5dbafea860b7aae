using System.Globalization;
using Lameduck.Init.Presets;
using Lameduck.Init.Signals;
using Lameduck.Text;

namespace Lameduck.Init.Options;

/// <summary>
/// Reads lameduck-init's flags, each with a LAMEDUCK_* variable behind it (a flag wins over its variable).
/// </summary>
/// <remarks>
/// Hand-written on purpose: System.CommandLine (used by the lameduck CLI) adds about 1 MB to a NativeAOT
/// binary whose budget is 2 MB, and this grammar is ten flags and a command after <c>--</c>.
/// </remarks>
internal static class OptionParser
{
    private sealed record Flag(string Name, string Env, bool TakesValue);

    private static readonly Flag PresetFlag = new("--preset", "LAMEDUCK_PRESET", true);
    private static readonly Flag StopSignalFlag = new("--stop-signal", "LAMEDUCK_STOP_SIGNAL", true);
    private static readonly Flag TermSignalsFlag = new("--term-signals", "LAMEDUCK_TERM_SIGNALS", true);
    private static readonly Flag DelayFlag = new("--delay", "LAMEDUCK_DELAY", true);
    private static readonly Flag DrainPortFlag = new("--drain-port", "LAMEDUCK_DRAIN_PORT", true);
    private static readonly Flag QuietPeriodFlag = new("--quiet-period", "LAMEDUCK_QUIET_PERIOD", true);
    private static readonly Flag MinDelayFlag = new("--min-delay", "LAMEDUCK_MIN_DELAY", true);
    private static readonly Flag GracePeriodFlag = new("--grace-period", "LAMEDUCK_GRACE_PERIOD", true);
    private static readonly Flag MarginFlag = new("--margin", "LAMEDUCK_MARGIN", true);
    private static readonly Flag Exit143Flag = new("--exit-143-as-0", "LAMEDUCK_EXIT_143_AS_0", false);

    private static readonly Flag[] Flags =
        [PresetFlag, StopSignalFlag, TermSignalsFlag, DelayFlag, DrainPortFlag, QuietPeriodFlag, MinDelayFlag, GracePeriodFlag, MarginFlag, Exit143Flag];

    /// <summary>
    /// Parses <paramref name="args"/> (options, then <c>--</c> or the first non-option, then the command).
    /// Throws <see cref="UsageException"/> naming the flag or variable at fault.
    /// </summary>
    /// <example><c>Parse(["--preset", "nginx", "--", "nginx", "-g", "daemon off;"], Environment.GetEnvironmentVariable)</c></example>
    public static InitOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var given = new Dictionary<Flag, (string Value, string Source)>();
        foreach (var flag in Flags)
        {
            var value = environment(flag.Env);
            if (!string.IsNullOrEmpty(value)) given[flag] = (value, flag.Env);
        }

        int i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (!arg.StartsWith('-') || arg == "-") break;

            var name = arg;
            string? inlineValue = null;
            int eq = arg.IndexOf('=');
            if (eq > 0)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }
            var flag = Array.Find(Flags, f => f.Name == name)
                ?? throw new UsageException($"unknown option '{name}' (see --help)");
            if (!flag.TakesValue)
            {
                given[flag] = (inlineValue ?? "true", flag.Name);
                continue;
            }
            if (inlineValue is null)
            {
                if (i + 1 >= args.Count) throw new UsageException($"{flag.Name} needs a value");
                inlineValue = args[++i];
            }
            given[flag] = (inlineValue, flag.Name);
        }

        var command = new string[args.Count - i];
        for (int j = i; j < args.Count; j++) command[j - i] = args[j];
        if (command.Length == 0 || command[0].Length == 0)
            throw new UsageException("missing command: give the program to supervise after '--', e.g. lameduck-init -- nginx -g 'daemon off;'");

        Preset? preset = null;
        bool guessed = false;
        if (given.TryGetValue(PresetFlag, out var p))
        {
            preset = Preset.Find(p.Value)
                ?? throw new UsageException($"{p.Source}: unknown preset '{p.Value}' (known: {Preset.NameList})");
        }
        else
        {
            preset = Preset.Guess(command);
            guessed = preset is not null;
        }

        int stopSignal = preset?.StopSignal ?? SignalNames.SIGTERM;
        if (given.TryGetValue(StopSignalFlag, out var s))
        {
            if (!SignalNames.TryParse(s.Value, out stopSignal))
                throw new UsageException($"{s.Source}: unknown signal '{s.Value}' (e.g. QUIT, SIGUSR1, 3)");
        }

        // Kubernetes sends the image's STOPSIGNAL, and the official nginx, php-fpm, haproxy and httpd images
        // declare their graceful stop signal there: so by default that signal starts the lame duck too.
        int[] termSignals = stopSignal == SignalNames.SIGTERM ? [SignalNames.SIGTERM] : [SignalNames.SIGTERM, stopSignal];
        if (given.TryGetValue(TermSignalsFlag, out var t)) termSignals = SignalList(t);

        var drainPort = given.TryGetValue(DrainPortFlag, out var d) ? Port(d) : (int?)null;
        if (drainPort is null && given.TryGetValue(QuietPeriodFlag, out var q))
            throw new UsageException($"{q.Source} needs --drain-port (LAMEDUCK_DRAIN_PORT): the quiet period is measured on that port");
        if (drainPort is null && given.TryGetValue(MinDelayFlag, out var m))
            throw new UsageException($"{m.Source} needs --drain-port (LAMEDUCK_DRAIN_PORT): without it the window always lasts --delay");

        var delay = Duration(given, DelayFlag, TimeSpan.FromSeconds(5));
        var quietPeriod = Duration(given, QuietPeriodFlag, TimeSpan.FromSeconds(1));
        if (quietPeriod <= TimeSpan.Zero)
            throw new UsageException($"{given[QuietPeriodFlag].Source} must be more than 0 (the time with no request bytes that ends the window)");
        // The library's MinDelay default, 1 s; a shorter --delay caps it (the window never outlasts the delay),
        // but a --min-delay given explicitly longer than --delay is a mistake worth saying.
        var minDelay = Duration(given, MinDelayFlag, DefaultMinDelay < delay ? DefaultMinDelay : delay);
        if (minDelay > delay)
            throw new UsageException($"{given[MinDelayFlag].Source} {DurationText.Format(minDelay)} must not be longer than " +
                $"{(given.TryGetValue(DelayFlag, out var dl) ? dl.Source : "--delay")} {DurationText.Format(delay)}: the lame-duck window never lasts longer than the delay");

        var options = new InitOptions
        {
            Preset = preset,
            PresetGuessed = guessed,
            StopSignal = stopSignal,
            TermSignals = termSignals,
            Delay = delay,
            DrainPort = drainPort,
            QuietPeriod = quietPeriod,
            MinDelay = minDelay,
            GracePeriod = Duration(given, GracePeriodFlag, TimeSpan.FromSeconds(30)),
            Margin = Duration(given, MarginFlag, TimeSpan.FromSeconds(2)),
            Exit143As0 = given.TryGetValue(Exit143Flag, out var e) && Bool(e),
            Command = command,
        };
        CheckBudget(options);
        return options;
    }

    // One budget: the window and the margin must leave time to drain inside the grace period.
    private static void CheckBudget(InitOptions o)
    {
        if (o.GracePeriod <= TimeSpan.Zero)
            throw new UsageException("--grace-period must be more than 0 (it is the pod's terminationGracePeriodSeconds)");
        if (o.Margin >= o.GracePeriod)
            throw new UsageException($"--margin {DurationText.Format(o.Margin)} must be less than --grace-period {DurationText.Format(o.GracePeriod)}");
        if (o.Delay >= o.KillAfter)
            throw new UsageException(
                $"--delay {DurationText.Format(o.Delay)} leaves no time to drain: the process group is killed at " +
                $"--grace-period {DurationText.Format(o.GracePeriod)} - --margin {DurationText.Format(o.Margin)} = {DurationText.Format(o.KillAfter)} after SIGTERM");
    }

    /// <summary>The lame duck's shortest length with --drain-port unless --min-delay says otherwise: the library's MinDelay default.</summary>
    public static readonly TimeSpan DefaultMinDelay = TimeSpan.FromSeconds(1);

    private static TimeSpan Duration(Dictionary<Flag, (string Value, string Source)> given, Flag flag, TimeSpan fallback)
    {
        if (!given.TryGetValue(flag, out var v)) return fallback;
        return DurationText.TryParse(v.Value, out var value, out var error)
            ? value
            : throw new UsageException($"{v.Source}: {error}");
    }

    private static int[] SignalList((string Value, string Source) v)
    {
        var parts = v.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UsageException($"{v.Source}: give at least one signal, e.g. TERM,QUIT");
        var signals = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!SignalNames.TryParse(parts[i], out signals[i]))
                throw new UsageException($"{v.Source}: unknown signal '{parts[i]}' (e.g. TERM,QUIT)");
        }
        return signals;
    }

    private static int Port((string Value, string Source) v) =>
        int.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new UsageException($"{v.Source}: '{v.Value}' is not a TCP port (1-65535)");

    private static bool Bool((string Value, string Source) v) => v.Value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new UsageException($"{v.Source}: '{v.Value}' is not true or false"),
    };

    public const string Help = """
        lameduck-init: PID 1 for apps you cannot change. Keeps serving for a while after SIGTERM, then stops
        the app with the signal that stops it gracefully, reaps zombies, and kills it before the kubelet does.

        Usage:
          lameduck-init [options] [--] COMMAND [ARGS...]
          lameduck-init sleep DURATION                   (preStop hook without a shell)
          lameduck-init signal [--after DURATION] SIGNAL PID
          lameduck-init install DIRECTORY                (init container: copy this binary into DIRECTORY)

        Options (each also read from the variable shown; a flag wins):
          --preset NAME        nginx | php-fpm | haproxy | apache; guessed from the command         LAMEDUCK_PRESET
          --stop-signal SIG    graceful stop signal (default: the preset's, else TERM)              LAMEDUCK_STOP_SIGNAL
          --term-signals LIST  signals that start the shutdown (default: TERM and the stop          LAMEDUCK_TERM_SIGNALS
                               signal, as Kubernetes sends the image's STOPSIGNAL: QUIT for nginx)
          --delay DURATION     lame-duck window after SIGTERM (default 5s)                          LAMEDUCK_DELAY
          --drain-port PORT    end the window early once no request bytes arrived on local TCP      LAMEDUCK_DRAIN_PORT
                               PORT (new or kept-alive connections; probes on PORT count too) ...
          --quiet-period DUR   ... for this long (default 1s)                                       LAMEDUCK_QUIET_PERIOD
          --min-delay DUR      ... but never before this (default 1s; at most --delay)              LAMEDUCK_MIN_DELAY
          --grace-period DUR   the pod's terminationGracePeriodSeconds (default 30s)                LAMEDUCK_GRACE_PERIOD
          --margin DURATION    SIGKILL the app this long before the grace period ends (2s)          LAMEDUCK_MARGIN
          --exit-143-as-0      report an app ended by SIGTERM (143) as success                      LAMEDUCK_EXIT_143_AS_0

        Durations: 500ms, 5s, 1m30s. Signals: QUIT, SIGQUIT or 3.
        Exit codes: the app's code (128+N when signal N ended it); 137 when lameduck-init had to SIGKILL it at
        the deadline; 2 bad input; 126 command not executable; 127 command not found.
        """;
}
