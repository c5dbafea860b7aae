namespace Lameduck.Cli.Inject.Annotations;

/// <summary>What <c>lameduck.dev/containers</c> may say about one container.</summary>
internal enum ContainerMode
{
    /// <summary>Not named: inject decides from what the container is.</summary>
    Auto,

    /// <summary>A .NET service using the Lameduck library: set its budget variables.</summary>
    Library,

    /// <summary>Run it under lameduck-init (its start command must be known).</summary>
    LameduckInit,

    /// <summary>Give it a preStop delay.</summary>
    PreStop,

    /// <summary>Leave it alone.</summary>
    Skip,
}
