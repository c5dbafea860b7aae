namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>Tests that send load or time real runs: one at a time, so they do not disturb each other's timing.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "verify load";
}
