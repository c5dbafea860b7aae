namespace Lameduck.Cli.CommandLine;

/// <summary>
/// Bad usage found after parsing, in any command: an invalid URL or flag value, a missing input, input that cannot be
/// read. The command prints <c>lameduck COMMAND: error: MESSAGE</c> (<see cref="CommandError"/>) and exits
/// <see cref="ExitCodes.Usage"/>; the message names the flag, or the file and line.
/// </summary>
/// <example><code>throw new UsageException($"--rate must be a number > 0 (got {rate})");</code></example>
public class UsageException(string message) : Exception(message);
