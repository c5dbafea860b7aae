namespace Lameduck.Contract.Init;

/// <summary>A value lameduck-init was given, and where: a flag (with the index of its word in the arguments) or a variable.</summary>
/// <param name="Text">The value as written (<c>"true"</c> for a bare switch).</param>
/// <param name="Source">How messages name where it came from: <c>--delay</c> or <c>LAMEDUCK_DELAY</c>.</param>
/// <param name="ArgumentIndex">The index of the flag's word in the arguments, or -1 for a variable.</param>
internal sealed record GivenValue(string Text, string Source, int ArgumentIndex)
{
    /// <summary>True when it came from a variable, not a flag.</summary>
    public bool FromVariable => ArgumentIndex < 0;
}

/// <summary>
/// A lameduck-init command line read with <see cref="InitFlags"/>' grammar, before any value is judged: which option
/// was given, by which flag or variable, where, and the command. Reading never throws: a structural problem (an
/// unknown option, a missing value or command) is in <see cref="Problem"/>, so lint can still see the rest.
/// lameduck-init itself resolves it with <see cref="InitSettings.Resolve"/>, which throws.
/// </summary>
/// <example>
/// <code>
/// var line = InitCommandLine.Read(["--delay", "3s", "--", "nginx", "-g", "daemon off;"], Environment.GetEnvironmentVariable);
/// // line.Given[InitFlags.Delay] == ("3s", "--delay", 0); line.Command == ["nginx", "-g", "daemon off;"]
/// </code>
/// </example>
internal sealed class InitCommandLine
{
    private readonly Dictionary<InitFlag, GivenValue> _given;

    private InitCommandLine(Dictionary<InitFlag, GivenValue> given, string[] command, int commandIndex, string? problem)
    {
        _given = given;
        Command = command;
        CommandIndex = commandIndex;
        Problem = problem;
    }

    /// <summary>Every option given, by flag or variable, with the winning value.</summary>
    public IReadOnlyDictionary<InitFlag, GivenValue> Given => _given;

    /// <summary>The program to supervise and its arguments (empty when missing).</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>The index of the command's first word in the arguments (their count when there is none).</summary>
    public int CommandIndex { get; }

    /// <summary>What makes the line unusable before any value is judged (lameduck-init exits 2 with it), or null.</summary>
    public string? Problem { get; }

    /// <summary>The value of <paramref name="flag"/>, or null when neither it nor its variable is given.</summary>
    public GivenValue? this[InitFlag flag] => _given.TryGetValue(flag, out var value) ? value : null;

    /// <summary>
    /// Reads <paramref name="arguments"/> (lameduck-init's, without its own name) and the <c>LAMEDUCK_*</c> variables
    /// <paramref name="environment"/> returns (null or empty: unset).
    /// </summary>
    public static InitCommandLine Read(IReadOnlyList<string> arguments, Func<string, string?> environment)
    {
        var given = new Dictionary<InitFlag, GivenValue>();
        foreach (var flag in InitFlags.All)
        {
            var value = environment(flag.Variable);
            if (!string.IsNullOrEmpty(value)) given[flag] = new GivenValue(value, flag.Variable, -1);
        }

        string? problem = null;
        int i = 0;
        for (; i < arguments.Count; i++)
        {
            var word = arguments[i];
            if (word == "--")
            {
                i++;
                break;
            }
            if (!word.StartsWith('-') || word == "-") break;

            var name = word;
            string? inline = null;
            int eq = word.IndexOf('=');
            if (eq > 0)
            {
                name = word[..eq];
                inline = word[(eq + 1)..];
            }
            var flag = InitFlags.Find(name);
            if (flag is null)
            {
                problem = $"unknown option '{name}' (see --help)";
                return new InitCommandLine(given, [], arguments.Count, problem);
            }
            if (!flag.TakesValue)
            {
                given[flag] = new GivenValue(inline ?? "true", flag.Name, i);
                continue;
            }
            int at = i;
            if (inline is null)
            {
                if (i + 1 >= arguments.Count)
                {
                    problem = $"{flag.Name} needs a value";
                    return new InitCommandLine(given, [], arguments.Count, problem);
                }
                inline = arguments[++i];
            }
            given[flag] = new GivenValue(inline, flag.Name, at);
        }

        var command = new string[arguments.Count - i];
        for (int j = i; j < arguments.Count; j++) command[j - i] = arguments[j];
        if (command.Length == 0 || command[0].Length == 0)
            problem = "missing command: give the program to supervise after '--', e.g. lameduck-init -- nginx -g 'daemon off;'";
        return new InitCommandLine(given, command, i, problem);
    }
}
