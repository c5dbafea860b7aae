namespace Lameduck.Cli.Lint.Input;

/// <summary>One YAML document of an input file.</summary>
/// <param name="File">The file it came from.</param>
/// <param name="Root">The document's root node; null for an empty document.</param>
/// <param name="HelmSource">The chart template it was rendered from (helm template's <c># Source:</c> comment), if any.</param>
internal sealed record ManifestDocument(SourceFile File, YamlNode? Root, string? HelmSource);
