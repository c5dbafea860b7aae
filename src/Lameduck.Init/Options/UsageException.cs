namespace Lameduck.Init.Options;

/// <summary>Bad input on the command line or in a LAMEDUCK_* variable; the message names the flag or variable. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
