using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Inject;

/// <summary>What the command line (or the webhook's) says for every workload; annotations may override per workload.</summary>
/// <param name="KubeVersion">The Kubernetes version the pods run on: from 1.30 the kubelet has the native preStop sleep.</param>
/// <param name="InitImage">The image whose <c>/lameduck-init install DIR</c> copies lameduck-init into the pod.</param>
internal sealed record InjectSettings(KubeVersion KubeVersion, string InitImage)
{
    /// <summary>The lameduck-init image the examples use (docs/init.md shows its two-line Dockerfile).</summary>
    public const string DefaultInitImage = "ghcr.io/lameduck-dev/lameduck-init:0.1.0";

    /// <summary>Kubernetes 1.30 and the default image.</summary>
    public static InjectSettings Default { get; } = new(KubeVersion.Default, DefaultInitImage);
}
