namespace Lameduck.Cli.Lint.Input;

/// <summary>
/// Bounds that keep hostile or accidental input (a 50 MB log, an alias bomb) from hanging the linter
/// or exhausting memory. Real manifests, even a big chart's <c>helm template</c> output, are far below them.
/// </summary>
internal static class InputLimits
{
    /// <summary>Largest file (or stdin) accepted: 32 MiB. A 10,000-object manifest is about 12 MB.</summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    /// <summary>Most YAML nodes built for one file. Aliases are not copied, so they do not count twice.</summary>
    public const int MaxNodesPerFile = 4_000_000;

    /// <summary>
    /// Most nodes one document may stand for once its aliases are followed. Aliases are never copied, but a
    /// document that expands past this (a "billion laughs" bomb) is refused the way the API server's YAML
    /// decoder refuses excessive aliasing: no honest manifest reuses nodes on that scale.
    /// </summary>
    public const long MaxExpandedNodesPerDocument = 1_000_000;

    /// <summary>Deepest nesting accepted; Kubernetes objects nest about 15 levels.</summary>
    public const int MaxDepth = 256;
}
