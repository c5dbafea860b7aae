using Lameduck.Cli.CommandLine;

namespace Lameduck.Cli.Lint.Input;

/// <summary>
/// Input that cannot be linted (unreadable, not YAML, duplicate keys, too large...). Carries the file
/// and line so the user can fix it; the command prints it as <c>file:line: message</c> and exits 2.
/// </summary>
internal sealed class LintInputException(string file, int line, string reason) : UsageException($"{file}:{line}: {reason}")
{
    /// <summary>The file as the user named it.</summary>
    public string File { get; } = file;

    /// <summary>1-based line; 1 when the problem is the file as a whole.</summary>
    public int Line { get; } = line;

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; } = reason;
}
