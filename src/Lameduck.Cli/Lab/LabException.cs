namespace Lameduck.Cli.Lab;

/// <summary>The lab cannot go on (a replica never became ready, a proxy failed); the message says why and where to look.</summary>
public sealed class LabException(string message) : Exception(message);
