using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>A Kubernetes object found in the input: anything with <c>apiVersion</c> and <c>kind</c>.</summary>
internal sealed class KubeObject(string kind, string name, string ns, YamlMapping root, ManifestDocument document)
{
    /// <summary>The object's kind, e.g. <c>Deployment</c>.</summary>
    public string Kind { get; } = kind;

    /// <summary><c>metadata.name</c> (or <c>generateName</c>, or <c>(unnamed)</c>).</summary>
    public string Name { get; } = name;

    /// <summary><c>metadata.namespace</c>, empty when not set (objects without one match each other).</summary>
    public string Namespace { get; } = ns;

    /// <summary>The object's mapping.</summary>
    public YamlMapping Root { get; } = root;

    /// <summary>The document it was read from.</summary>
    public ManifestDocument Document { get; } = document;

    /// <summary>How findings name the object: <c>Deployment/web</c> (the namespace is a separate field).</summary>
    public string Id => $"{Kind}/{Name}";

    /// <summary>Namespace, kind and name: <c>shop/Deployment/web</c>; <c>Deployment/web</c> without a namespace.</summary>
    public string QualifiedId => Namespace.Length == 0 ? Id : $"{Namespace}/{Id}";

    /// <summary>
    /// Where cross-object references resolve (a Service's selector, a ConfigMap name): the object's input set (the
    /// PATH argument it came from) and namespace. Objects of different input sets or namespaces never match.
    /// </summary>
    public (int InputSet, string Namespace) Scope => (Document.File.InputSet, Namespace);

    public override string ToString() => QualifiedId;
}
