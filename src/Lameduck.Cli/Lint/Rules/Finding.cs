namespace Lameduck.Cli.Lint.Rules;

/// <summary>One hazard found in a manifest, pointing at the line a user would edit.</summary>
/// <param name="Rule">The rule id, e.g. <c>LD001</c>.</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line of the offending field.</param>
/// <param name="Object">The object, e.g. <c>Deployment/web</c>.</param>
/// <param name="Container">The container's name, or null for findings about the whole object.</param>
/// <param name="Message">What is wrong and what it costs.</param>
/// <param name="Fix">What to change, concretely.</param>
/// <param name="Template">The helm chart template the object was rendered from, if known.</param>
/// <param name="Namespace">The object's <c>metadata.namespace</c>; null when not set.</param>
internal sealed record Finding(
    string Rule, Severity Severity, string File, int Line, string Object, string? Container,
    string Message, string Fix, string? Template = null, string? Namespace = null)
{
    /// <summary>Namespace, kind and name: <c>shop/Deployment/web</c>, or <c>Deployment/web</c> without a namespace.</summary>
    public string QualifiedObject => Namespace is null ? Object : $"{Namespace}/{Object}";

    /// <summary>Stable order: file, line, rule, namespace, object, container.</summary>
    public static readonly IComparer<Finding> Order = Comparer<Finding>.Create((a, b) =>
    {
        int c = string.CompareOrdinal(a.File, b.File);
        if (c == 0) c = a.Line.CompareTo(b.Line);
        if (c == 0) c = string.CompareOrdinal(a.Rule, b.Rule);
        if (c == 0) c = string.CompareOrdinal(a.Namespace, b.Namespace);
        if (c == 0) c = string.CompareOrdinal(a.Object, b.Object);
        if (c == 0) c = string.CompareOrdinal(a.Container, b.Container);
        return c;
    });
}
