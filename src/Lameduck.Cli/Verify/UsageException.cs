namespace Lameduck.Cli.Verify;

/// <summary>Bad usage found after parsing (an invalid URL, a rate ≤ 0, an unreachable target): exit code 2 with this message.</summary>
public sealed class UsageException(string message) : Exception(message);
