namespace Lameduck.Contract.Init;

/// <summary>One of lameduck-init's options: its flag, the variable behind it (a flag wins over its variable), and how it reads.</summary>
/// <param name="Name">The flag: <c>--delay</c>.</param>
/// <param name="Variable">The environment variable read when the flag is not given: <c>LAMEDUCK_DELAY</c>.</param>
/// <param name="TakesValue">False for a switch (<c>--exit-143-as-0</c>, which also takes <c>=true|false</c>).</param>
/// <param name="ValueName">How help names the value: <c>DURATION</c>.</param>
internal sealed record InitFlag(string Name, string Variable, bool TakesValue, string ValueName);

/// <summary>
/// THE grammar of lameduck-init's command line, used by lameduck-init to parse and by lint, lab and inject to read a
/// lameduck-init command line: <c>lameduck-init [VERB ...] | [OPTIONS] [--] COMMAND [ARGS...]</c>.
/// </summary>
/// <remarks>
/// Options come first: a word that does not start with <c>-</c> (or a lone <c>-</c>), or <c>--</c>, ends them and
/// starts the command. A value is the next word or follows <c>=</c> (<c>--delay 5s</c>, <c>--delay=5s</c>). Given
/// twice, the last flag wins; any flag wins over its variable; an empty variable counts as unset.
/// </remarks>
internal static class InitFlags
{
    public static readonly InitFlag Preset = new("--preset", "LAMEDUCK_PRESET", true, "NAME");
    public static readonly InitFlag StopSignal = new("--stop-signal", "LAMEDUCK_STOP_SIGNAL", true, "SIG");
    public static readonly InitFlag TermSignals = new("--term-signals", "LAMEDUCK_TERM_SIGNALS", true, "LIST");
    public static readonly InitFlag Delay = new("--delay", "LAMEDUCK_DELAY", true, "DURATION");
    public static readonly InitFlag DrainPort = new("--drain-port", "LAMEDUCK_DRAIN_PORT", true, "PORT");
    public static readonly InitFlag QuietPeriod = new("--quiet-period", "LAMEDUCK_QUIET_PERIOD", true, "DUR");
    public static readonly InitFlag MinDelay = new("--min-delay", "LAMEDUCK_MIN_DELAY", true, "DUR");
    public static readonly InitFlag GracePeriod = new("--grace-period", "LAMEDUCK_GRACE_PERIOD", true, "DUR");
    public static readonly InitFlag PreStop = new("--pre-stop", "LAMEDUCK_PRE_STOP", true, "DUR");
    public static readonly InitFlag Margin = new("--margin", "LAMEDUCK_MARGIN", true, "DURATION");
    public static readonly InitFlag Exit143As0 = new("--exit-143-as-0", "LAMEDUCK_EXIT_143_AS_0", false, "");

    /// <summary>Every option, in the order <c>--help</c> lists them.</summary>
    public static readonly InitFlag[] All =
        [Preset, StopSignal, TermSignals, Delay, DrainPort, QuietPeriod, MinDelay, GracePeriod, PreStop, Margin, Exit143As0];

    /// <summary>The program's name, as containers spell it (<c>/lameduck/lameduck-init</c> ends with it).</summary>
    public const string Program = "lameduck-init";

    /// <summary>The verbs that take the place of a supervised command: preStop helpers, the init container's copy, the settings check.</summary>
    public static readonly string[] Verbs = ["sleep", "signal", "install", "check"];

    /// <summary>The flag called <paramref name="name"/>, or null.</summary>
    public static InitFlag? Find(string name)
    {
        foreach (var flag in All)
            if (flag.Name == name) return flag;
        return null;
    }

    /// <summary>True when <paramref name="program"/> (a path or a name) is lameduck-init.</summary>
    public static bool IsProgram(string program)
    {
        int slash = program.LastIndexOf('/');
        return (slash < 0 ? program : program[(slash + 1)..]) == Program;
    }
}
