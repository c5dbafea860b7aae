namespace Lameduck.Cli.Inject.Annotations;

/// <summary>
/// The annotations <c>lameduck inject</c> and <c>lameduck webhook</c> read on a pod template (or pod), and the
/// one they write. docs/inject.md is their reference.
/// </summary>
internal static class InjectAnnotations
{
    /// <summary>The prefix of every Lameduck annotation.</summary>
    public const string Prefix = "lameduck.dev/";

    /// <summary><c>"true"</c> opts the workload in; <c>"false"</c> opts it out, also in a namespace the webhook injects by label.</summary>
    public const string Inject = Prefix + "inject";

    /// <summary>The lame-duck window for every container (<c>5s</c>, <c>1m</c>); each kind's own default otherwise.</summary>
    public const string Delay = Prefix + "delay";

    /// <summary>The Kubernetes version the pods run on (<c>1.29</c>), overriding <c>--kube-version</c>.</summary>
    public const string KubeVersion = Prefix + "kube-version";

    /// <summary>Per-container modes: <c>api=library, envoy=skip</c> (modes: library, lameduck-init, prestop, skip).</summary>
    public const string Containers = Prefix + "containers";

    /// <summary>The image of the init container that copies lameduck-init into the pod, overriding <c>--init-image</c>.</summary>
    public const string InitImage = Prefix + "init-image";

    /// <summary>Written by the mutation: what was made of each container, and why a container was left alone.</summary>
    public const string Status = Prefix + "status";

    /// <summary>The label on a namespace that makes the webhook inject every pod there (value <c>enabled</c>).</summary>
    public const string NamespaceLabel = Prefix + "inject";
}
