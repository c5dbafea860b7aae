namespace Lameduck.Cli.CommandLine;

/// <summary>
/// How every command reports an error on stderr: <c>lameduck COMMAND: error: MESSAGE</c>, one line, never a stack trace
/// (the same prefix a parse error gets from <see cref="Program.Run"/>). Progress and notes use <c>COMMAND: ...</c>.
/// </summary>
/// <example><code>CommandError.Write(stderr, "lab", "--rate must be a number > 0 (got 0)");</code></example>
public static class CommandError
{
    /// <summary>Writes the error line.</summary>
    public static void Write(TextWriter stderr, string command, string message) =>
        stderr.WriteLine($"lameduck {command}: error: {message}");

    /// <summary>Writes the error line and returns <see cref="ExitCodes.Usage"/>, for <c>return CommandError.Usage(...)</c>.</summary>
    public static int Usage(TextWriter stderr, string command, string message)
    {
        Write(stderr, command, message);
        return ExitCodes.Usage;
    }
}
