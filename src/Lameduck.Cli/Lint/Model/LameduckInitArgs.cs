using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>
/// The options of a container whose process is lameduck-init
/// (<c>lameduck-init [--delay 5s] [--grace-period 30s] ... [--] COMMAND ARGS</c>), each with the node to point at.
/// </summary>
internal sealed class LameduckInitArgs
{
    // Flags that take a value (from lameduck-init --help); the others are switches.
    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "--preset", "--stop-signal", "--delay", "--drain-port", "--quiet-period", "--grace-period", "--margin",
    };

    private readonly Dictionary<string, (YamlScalar Flag, string Value)> _flags = new(StringComparer.Ordinal);

    private LameduckInitArgs(YamlScalar program) => Program = program;

    /// <summary>The <c>lameduck-init</c> word itself.</summary>
    public YamlScalar Program { get; }

    /// <summary>The value of <paramref name="flag"/> (<c>--delay 5s</c> or <c>--delay=5s</c>) and the flag's node, if given.</summary>
    public (YamlScalar Flag, string Value)? this[string flag] => _flags.TryGetValue(flag, out var v) ? v : null;

    /// <summary>Reads the container's argv; null when its process is not lameduck-init.</summary>
    public static LameduckInitArgs? From(Container container)
    {
        var argv = container.Argv.ToList();
        if (argv.Count == 0 || ShellWords.BaseName(argv[0].Value) != "lameduck-init") return null;
        var args = new LameduckInitArgs(argv[0]);
        for (int i = 1; i < argv.Count && argv[i].Value.StartsWith("--", StringComparison.Ordinal) && argv[i].Value != "--"; i++)
        {
            var word = argv[i].Value;
            int eq = word.IndexOf('=');
            if (eq > 0) args._flags[word[..eq]] = (argv[i], word[(eq + 1)..]);
            else if (ValueFlags.Contains(word) && i + 1 < argv.Count) args._flags[word] = (argv[i], argv[++i].Value);
            else args._flags[word] = (argv[i], "true");
        }
        return args;
    }
}
