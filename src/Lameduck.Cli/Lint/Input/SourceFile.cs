namespace Lameduck.Cli.Lint.Input;

/// <summary>An input the user named: a file path as they would recognise it, or <c>-</c> for stdin.</summary>
/// <param name="DisplayPath">The path printed in findings and errors (relative paths stay relative).</param>
internal sealed record SourceFile(string DisplayPath)
{
    /// <summary>The name used for standard input.</summary>
    public static SourceFile StandardInput { get; } = new("<stdin>");

    public override string ToString() => DisplayPath;
}
