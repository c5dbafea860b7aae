using System.Globalization;
using System.Text;
using Lameduck.Contract.Budget;
using Lameduck.Contract.Presets;
using Lameduck.Contract.Signals;
using Lameduck.Text;

namespace Lameduck.Contract.Init;

/// <summary>Bad input on lameduck-init's command line or in a <c>LAMEDUCK_*</c> variable; the message names the flag or variable. Exit code 2.</summary>
internal sealed class InitUsageException(string message) : Exception(message);

/// <summary>
/// What a lameduck-init command line means once every value is judged: the preset, the signals, the window, the
/// budget and the command, with where each came from. lameduck-init runs with it; lint, lab and inject read a
/// container's lameduck-init with the same code, so they cannot disagree with the binary.
/// </summary>
/// <example>
/// <code>
/// var settings = InitSettings.Parse(["--preset", "nginx", "--", "nginx", "-g", "daemon off;"], Environment.GetEnvironmentVariable);
/// // settings.StopSignal == SIGQUIT, settings.Delay == 5 s, settings.KillAfter == 28 s
/// </code>
/// </example>
internal sealed class InitSettings
{
    private InitSettings(InitCommandLine line) => Line = line;

    /// <summary>The command line these settings were resolved from (what was given, where).</summary>
    public InitCommandLine Line { get; }

    /// <summary>The server preset: <c>--preset</c>, else guessed from the command, else null.</summary>
    public ServerPreset? Preset { get; private init; }

    /// <summary>True when <see cref="Preset"/> was guessed from the command rather than given.</summary>
    public bool PresetGuessed { get; private init; }

    /// <summary>Signal sent after the lame-duck window: <c>--stop-signal</c>, else the preset's graceful one, else TERM.</summary>
    public int StopSignal { get; private init; } = SignalTable.SIGTERM;

    /// <summary>
    /// Signals that start the shutdown instead of being forwarded: TERM, and the stop signal, because Kubernetes sends
    /// the image's STOPSIGNAL (SIGQUIT in the official nginx and php-fpm images).
    /// </summary>
    public IReadOnlyList<int> TermSignals { get; private init; } = [SignalTable.SIGTERM];

    /// <summary>The longest lame-duck window after the stop signal.</summary>
    public TimeSpan Delay { get; private init; } = ShutdownDefaults.Delay;

    /// <summary>Local TCP port whose request bytes are watched; null: the window always lasts <see cref="Delay"/>.</summary>
    public int? DrainPort { get; private init; }

    /// <summary>With <see cref="DrainPort"/>: the window ends once no request bytes arrived on the port for this long.</summary>
    public TimeSpan QuietPeriod { get; private init; } = ShutdownDefaults.QuietPeriod;

    /// <summary>With <see cref="DrainPort"/>: the window never ends before this (the library's <c>MinDelay</c>).</summary>
    public TimeSpan MinDelay { get; private init; } = ShutdownDefaults.MinDelay;

    /// <summary>The pod's <c>terminationGracePeriodSeconds</c>, counted from the start of termination.</summary>
    public TimeSpan GracePeriod { get; private init; } = ShutdownDefaults.GracePeriod;

    /// <summary>How long the pod's preStop hook takes (it runs inside the grace period, before the stop signal).</summary>
    public TimeSpan PreStop { get; private init; } = ShutdownDefaults.PreStop;

    /// <summary>How long before the grace period ends lameduck-init SIGKILLs the app itself.</summary>
    public TimeSpan Margin { get; private init; } = ShutdownDefaults.SafetyMargin;

    /// <summary>Report an app ended by SIGTERM (143) as success (0).</summary>
    public bool Exit143As0 { get; private init; }

    /// <summary>The program to supervise and its arguments.</summary>
    public IReadOnlyList<string> Command => Line.Command;

    /// <summary>The shutdown budget these settings make: <c>GracePeriod = PreStop + Delay + drain + Margin</c>.</summary>
    public ShutdownArithmetic Budget => new(GracePeriod, PreStop, Delay, Margin);

    /// <summary>Time after the stop signal at which the app's process group gets SIGKILL: <c>GracePeriod − PreStop − Margin</c>.</summary>
    public TimeSpan KillAfter => Budget.AfterSignal;

    /// <summary>Reads and resolves in one go (lameduck-init's own use); throws <see cref="InitUsageException"/>.</summary>
    public static InitSettings Parse(IReadOnlyList<string> arguments, Func<string, string?> environment) =>
        Resolve(InitCommandLine.Read(arguments, environment));

    /// <summary>Judges every value of <paramref name="line"/>; throws <see cref="InitUsageException"/> naming the flag or variable at fault.</summary>
    public static InitSettings Resolve(InitCommandLine line)
    {
        if (line.Problem is { } problem) throw new InitUsageException(problem);

        ServerPreset? preset;
        bool guessed = false;
        if (line[InitFlags.Preset] is { } p)
        {
            preset = ServerPresets.Find(p.Text) ?? throw new InitUsageException($"{p.Source}: unknown preset '{p.Text}' (known: {ServerPresets.NameList})");
        }
        else
        {
            preset = ServerPresets.Guess(line.Command);
            guessed = preset is not null;
        }

        int stopSignal = preset?.GracefulStopSignal ?? SignalTable.SIGTERM;
        if (line[InitFlags.StopSignal] is { } s && !SignalTable.TryParse(s.Text, out stopSignal))
            throw new InitUsageException($"{s.Source}: unknown signal '{s.Text}' (e.g. QUIT, SIGUSR1, 3)");

        // Kubernetes sends the image's STOPSIGNAL, and the official nginx, php-fpm, haproxy and httpd images declare their
        // graceful stop signal there: so by default that signal starts the lame duck too.
        int[] termSignals = stopSignal == SignalTable.SIGTERM ? [SignalTable.SIGTERM] : [SignalTable.SIGTERM, stopSignal];
        if (line[InitFlags.TermSignals] is { } t) termSignals = SignalList(t);

        int? drainPort = line[InitFlags.DrainPort] is { } d ? Port(d) : null;
        if (drainPort is null && line[InitFlags.QuietPeriod] is { } q)
            throw new InitUsageException($"{q.Source} needs --drain-port (LAMEDUCK_DRAIN_PORT): the quiet period is measured on that port");
        if (drainPort is null && line[InitFlags.MinDelay] is { } m)
            throw new InitUsageException($"{m.Source} needs --drain-port (LAMEDUCK_DRAIN_PORT): without it the window always lasts --delay");

        var delay = Duration(line, InitFlags.Delay);
        var quiet = Duration(line, InitFlags.QuietPeriod);
        if (quiet <= TimeSpan.Zero)
            throw new InitUsageException($"{line[InitFlags.QuietPeriod]!.Source} must be more than 0 (the time with no request bytes that ends the window)");
        // A shorter --delay caps the default min delay (the window never outlasts the delay), but a --min-delay given
        // longer than --delay is a mistake worth saying.
        var minDelay = Duration(line, InitFlags.MinDelay);
        if (minDelay > delay)
            throw new InitUsageException($"{line[InitFlags.MinDelay]!.Source} {DurationText.Format(minDelay)} must not be longer than " +
                $"{SourceOf(line, InitFlags.Delay)} {DurationText.Format(delay)}: the lame-duck window never lasts longer than the delay");

        var settings = new InitSettings(line)
        {
            Preset = preset,
            PresetGuessed = guessed,
            StopSignal = stopSignal,
            TermSignals = termSignals,
            Delay = delay,
            DrainPort = drainPort,
            QuietPeriod = quiet,
            MinDelay = minDelay,
            GracePeriod = Duration(line, InitFlags.GracePeriod),
            PreStop = Duration(line, InitFlags.PreStop),
            Margin = Duration(line, InitFlags.Margin),
            Exit143As0 = line[InitFlags.Exit143As0] is { } e && Bool(e),
        };
        settings.CheckBudget();
        return settings;
    }

    /// <summary>
    /// The duration <paramref name="flag"/> stands for on <paramref name="line"/>: its value, else the default; null
    /// (and why) when the given value is not a duration. For readers that judge one setting (lint, inject).
    /// </summary>
    public static TimeSpan? TryDuration(InitCommandLine line, InitFlag flag, out string? error)
    {
        error = null;
        var fallback = DefaultOf(flag, line);
        if (line[flag] is not { } given) return fallback;
        if (DurationText.TryParse(given.Text, out var value, out var why)) return value;
        error = $"{given.Source}: {why}";
        return null;
    }

    /// <summary>The setting's default when neither flag nor variable gives it (the shutdown contract's).</summary>
    public static TimeSpan DefaultOf(InitFlag flag, InitCommandLine line)
    {
        if (flag == InitFlags.Delay) return ShutdownDefaults.Delay;
        if (flag == InitFlags.QuietPeriod) return ShutdownDefaults.QuietPeriod;
        if (flag == InitFlags.GracePeriod) return ShutdownDefaults.GracePeriod;
        if (flag == InitFlags.PreStop) return ShutdownDefaults.PreStop;
        if (flag == InitFlags.Margin) return ShutdownDefaults.SafetyMargin;
        if (flag == InitFlags.MinDelay)
        {
            // The library's MinDelay default, capped by a shorter --delay.
            var delay = TryDuration(line, InitFlags.Delay, out _) ?? ShutdownDefaults.Delay;
            return ShutdownDefaults.MinDelay < delay ? ShutdownDefaults.MinDelay : delay;
        }
        throw new ArgumentOutOfRangeException(nameof(flag), flag.Name + " is not a duration");
    }

    /// <summary>
    /// The settings as <c>lameduck-init check</c> prints them: one <c>name=value (source)</c> line each, then the
    /// command word by word. Stable: tests compare it between the binary and the CLI's reading of the same line.
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        void Setting(string name, string value, InitFlag? flag)
        {
            text.Append(name).Append('=').Append(value);
            var source = flag is null ? null : Line[flag]?.Source;
            text.Append(" (").Append(source ?? (flag is null ? "derived" : "default")).Append(")\n");
        }
        var presetText = Preset is null ? "none" : Preset.Name;
        text.Append("preset=").Append(presetText).Append(" (").Append(Line[InitFlags.Preset]?.Source ?? (PresetGuessed ? "guessed from the command" : "default")).Append(")\n");
        Setting("stop-signal", SignalTable.Name(StopSignal), InitFlags.StopSignal);
        var terms = new string[TermSignals.Count];
        for (int i = 0; i < terms.Length; i++) terms[i] = SignalTable.Name(TermSignals[i]);
        Setting("term-signals", string.Join(',', terms), InitFlags.TermSignals);
        Setting("delay", DurationText.Format(Delay), InitFlags.Delay);
        Setting("drain-port", DrainPort?.ToString(CultureInfo.InvariantCulture) ?? "none", InitFlags.DrainPort);
        Setting("quiet-period", DurationText.Format(QuietPeriod), InitFlags.QuietPeriod);
        Setting("min-delay", DurationText.Format(MinDelay), InitFlags.MinDelay);
        Setting("grace-period", DurationText.Format(GracePeriod), InitFlags.GracePeriod);
        Setting("pre-stop", DurationText.Format(PreStop), InitFlags.PreStop);
        Setting("margin", DurationText.Format(Margin), InitFlags.Margin);
        Setting("kill-after", DurationText.Format(KillAfter), null);
        Setting("exit-143-as-0", Exit143As0 ? "true" : "false", InitFlags.Exit143As0);
        for (int i = 0; i < Command.Count; i++)
            text.Append("command[").Append(i.ToString(CultureInfo.InvariantCulture)).Append("]=").Append(Escape(Command[i])).Append('\n');
        return text.ToString();
    }

    // One budget: the preStop, the window and the margin must leave time to drain inside the grace period.
    private void CheckBudget()
    {
        string Name(InitFlag flag) => SourceOf(Line, flag);
        if (GracePeriod <= TimeSpan.Zero)
            throw new InitUsageException($"{Name(InitFlags.GracePeriod)} must be more than 0 (it is the pod's terminationGracePeriodSeconds)");
        // The preStop term is named only when one is declared: without it the messages read as they always have.
        var preStop = Line[InitFlags.PreStop] is null ? "" : $"{Name(InitFlags.PreStop)} {DurationText.Format(PreStop)} + ";
        var minusPreStop = Line[InitFlags.PreStop] is null ? "" : $" - {Name(InitFlags.PreStop)} {DurationText.Format(PreStop)}";
        if (PreStop + Margin >= GracePeriod)
            throw new InitUsageException($"{preStop}{Name(InitFlags.Margin)} {DurationText.Format(Margin)} " +
                $"must be less than {Name(InitFlags.GracePeriod)} {DurationText.Format(GracePeriod)}");
        if (!Budget.Fits)
            throw new InitUsageException(
                $"{Name(InitFlags.Delay)} {DurationText.Format(Delay)} leaves no time to drain: the process group is killed at " +
                $"{Name(InitFlags.GracePeriod)} {DurationText.Format(GracePeriod)}{minusPreStop} - " +
                $"{Name(InitFlags.Margin)} {DurationText.Format(Margin)} = {DurationText.Format(KillAfter)} after SIGTERM");
    }

    private static string SourceOf(InitCommandLine line, InitFlag flag) => line[flag]?.Source ?? flag.Name;

    private static TimeSpan Duration(InitCommandLine line, InitFlag flag)
    {
        if (line[flag] is not { } given) return DefaultOf(flag, line);
        return DurationText.TryParse(given.Text, out var value, out var error) ? value : throw new InitUsageException($"{given.Source}: {error}");
    }

    private static int[] SignalList(GivenValue v)
    {
        var parts = v.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new InitUsageException($"{v.Source}: give at least one signal, e.g. TERM,QUIT");
        var signals = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!SignalTable.TryParse(parts[i], out signals[i]))
                throw new InitUsageException($"{v.Source}: unknown signal '{parts[i]}' (e.g. TERM,QUIT)");
        }
        return signals;
    }

    private static int Port(GivenValue v) =>
        int.TryParse(v.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InitUsageException($"{v.Source}: '{v.Text}' is not a TCP port (1-65535)");

    private static bool Bool(GivenValue v) => v.Text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new InitUsageException($"{v.Source}: '{v.Text}' is not true or false"),
    };

    // A command word on one line: backslash, newline and carriage return escaped.
    private static string Escape(string word) => word.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
