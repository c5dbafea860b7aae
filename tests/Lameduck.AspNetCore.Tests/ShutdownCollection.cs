namespace Lameduck.AspNetCore.Tests;

/// <summary>
/// Tests that run HelloService as a child process and time real shutdowns: one at a time, so they do not
/// fight each other for the two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ShutdownCollection
{
    public const string Name = "Shutdown (child processes)";
}
