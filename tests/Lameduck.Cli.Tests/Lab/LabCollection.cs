namespace Lameduck.Cli.Tests.Lab;

/// <summary>Lab tests start real processes and time real shutdowns: one at a time on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "lab (real processes)";
}
