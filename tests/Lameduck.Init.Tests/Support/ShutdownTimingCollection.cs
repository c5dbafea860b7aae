namespace Lameduck.Init.Tests.Support;

/// <summary>
/// Tests that time real shutdowns or run real servers: one at a time, so on a 2-core machine their
/// delays and deadlines are not stretched by each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ShutdownTimingCollection
{
    public const string Name = "Shutdown timing";
}
