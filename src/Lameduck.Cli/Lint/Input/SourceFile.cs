namespace Lameduck.Cli.Lint.Input;

/// <summary>An input the user named: a file path as they would recognise it, or <c>-</c> for stdin.</summary>
/// <param name="DisplayPath">The path printed in findings and errors (relative paths stay relative).</param>
/// <param name="InputSet">Which PATH argument it came from (0-based): objects are matched to each other (Services to
/// pods, ConfigMaps to containers) only within one input set, so two folders linted together stay apart.</param>
internal sealed record SourceFile(string DisplayPath, int InputSet = 0)
{
    /// <summary>The name used for standard input.</summary>
    public static SourceFile StandardInput { get; } = new("<stdin>");

    /// <summary>True for standard input (whatever its input set).</summary>
    public bool IsStandardInput => DisplayPath == StandardInput.DisplayPath;

    public override string ToString() => DisplayPath;
}
