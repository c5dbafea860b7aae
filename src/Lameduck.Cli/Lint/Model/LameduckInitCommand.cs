using Lameduck.Cli.Lint.Input;
using Lameduck.Contract.Init;

namespace Lameduck.Cli.Lint.Model;

/// <summary>
/// A container whose process is lameduck-init, read with lameduck-init's own grammar (the shutdown contract's
/// <see cref="InitCommandLine"/>): its argv after the program and its <c>LAMEDUCK_*</c> variables (<c>env</c>, then
/// <c>envFrom</c> ConfigMaps of the input), so lint and inject judge exactly the settings the binary will run with,
/// and can point at the word or variable that gives each.
/// </summary>
/// <example>
/// <code>
/// if (LameduckInitCommand.From(container, workload, set) is { } init &amp;&amp; init.Line[InitFlags.Delay] is { } delay)
///     Console.WriteLine($"{delay.Source} at line {init.NodeOf(delay).Line}");
/// </code>
/// </example>
internal sealed class LameduckInitCommand
{
    /// <summary>What the environment function returns for a variable whose value the linter cannot read (a Secret): not a duration, not a port.</summary>
    private const string Unreadable = "\u0000(valueFrom)";

    private readonly IReadOnlyList<YamlScalar> _arguments;
    private readonly Dictionary<string, EnvironmentSetting> _variables;

    private LameduckInitCommand(YamlScalar program, IReadOnlyList<YamlScalar> arguments, Dictionary<string, EnvironmentSetting> variables, InitCommandLine line)
    {
        Program = program;
        _arguments = arguments;
        _variables = variables;
        Line = line;
    }

    /// <summary>The <c>lameduck-init</c> word itself.</summary>
    public YamlScalar Program { get; }

    /// <summary>The command line as lameduck-init reads it.</summary>
    public InitCommandLine Line { get; }

    /// <summary>True when the container's process is lameduck-init supervising an app (not one of its verbs).</summary>
    public static bool IsProcess(Container container)
    {
        var argv = container.Argv.ToList();
        return argv.Count > 0 && InitFlags.IsProgram(argv[0].Value) && (argv.Count == 1 || Array.IndexOf(InitFlags.Verbs, argv[1].Value) < 0);
    }

    /// <summary>Reads the container's lameduck-init; null when its process is not lameduck-init.</summary>
    public static LameduckInitCommand? From(Container container, Workload workload, ManifestSet set)
    {
        if (!IsProcess(container)) return null;
        var argv = container.Argv.ToList();
        var variables = new Dictionary<string, EnvironmentSetting>(StringComparer.Ordinal);
        foreach (var flag in InitFlags.All)
        {
            if (ContainerEnvironment.Find(container, workload, set, name => name == flag.Variable) is { } setting)
                variables[flag.Variable] = setting;
        }
        var line = InitCommandLine.Read([.. argv.Skip(1).Select(a => a.Value)],
            name => variables.TryGetValue(name, out var v) ? v.Value?.Value ?? Unreadable : null);
        return new LameduckInitCommand(argv[0], argv[1..], variables, line);
    }

    /// <summary>Where a given value is written: the flag's word in <c>command</c>/<c>args</c>, or the variable's line.</summary>
    public YamlNode NodeOf(GivenValue value) => value.FromVariable ? _variables[value.Source].Node : _arguments[value.ArgumentIndex];

    /// <summary>How messages name a given value: <c>lameduck-init --delay</c>, <c>env LAMEDUCK_DELAY from ConfigMap/x</c>.</summary>
    public string SourceOf(GivenValue value) => value.FromVariable ? _variables[value.Source].Source : $"lameduck-init {value.Source}";

    /// <summary>
    /// The duration <paramref name="flag"/> stands for (given, or lameduck-init's default), where it is written and how
    /// to name it; the value is null when what is written is not a duration lameduck-init reads.
    /// </summary>
    public DeclaredDuration Duration(InitFlag flag)
    {
        var value = InitSettings.TryDuration(Line, flag, out _);
        if (Line[flag] is { } given) return new DeclaredDuration(value, NodeOf(given), SourceOf(given));
        return new DeclaredDuration(value, Program, $"lameduck-init's default {flag.Name} {Lameduck.Text.DurationText.Format(value!.Value)}");
    }
}
