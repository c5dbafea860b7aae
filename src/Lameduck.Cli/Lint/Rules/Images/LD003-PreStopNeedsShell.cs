using Lameduck.Cli.Lint.Knowledge;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Rules.Images;

/// <summary>LD003: an exec preStop that needs a shell or <c>sleep</c> in an image that has neither.</summary>
internal sealed class PreStopNeedsShell : ContainerRule
{
    public override string Id => "LD003";
    public override string Name => "PreStopNeedsShellInShellLessImage";
    public override Severity Severity => Severity.Error;
    public override string Summary => "An exec preStop runs a shell or a coreutils binary (sleep, kill...) that the image does not have.";

    public override string Why =>
        "Distroless, scratch-based, chiseled and Chainguard static images ship no /bin/sh and no sleep binary. An exec " +
        "preStop such as [\"sh\", \"-c\", \"sleep 5\"] fails at once (the kubelet records FailedPreStopHook and carries on), " +
        "so the container gets SIGTERM with no delay at all: the protection the hook was written for silently does " +
        "not exist, and the endpoint-propagation race drops requests on every rollout.";

    public override string FixYaml => """
        # Kubernetes >= 1.30: the kubelet sleeps, nothing runs in the image
        lifecycle:
          preStop:
            sleep:
              seconds: 5
        # Older clusters: copy lameduck-init into the pod (init container + emptyDir) and run its sleep verb
        lifecycle:
          preStop:
            exec:
              command: ["/lameduck/lameduck-init", "sleep", "5s"]
        """;

    public override string NotReported =>
        "Images whose shell is unknown (any image not in the shell-less list is assumed to have one), preStop hooks of kind sleep or httpGet (nothing runs in the image), and exec hooks that call a binary the image is known to ship.";

    protected override IEnumerable<Finding> Check(Workload workload, Container container, LintContext context)
    {
        if (container.PreStop is not { Kind: PreStopKind.Exec, NeedsFromImage: { } needs } hook) yield break;
        if (container.Image is not { } image || KnownImages.ShellLessReason(image) is not { } reason) yield break;
        yield return Report(workload.Object, container, hook.ExecNode ?? hook.KeyNode,
            $"preStop runs '{string.Join(' ', hook.ExecCommand)}', which needs {needs} in the image, but {container.ImageNode!.Value} " +
            $"has none ({reason}): the hook fails and the container is stopped with no delay",
            FixFor(hook, context.KubeVersion));
    }

    private static string FixFor(PreStopHook hook, KubeVersion version)
    {
        var seconds = hook.SleepSeconds is > 0 and var s ? (int)Math.Ceiling(s) : 5;
        if (hook.SleepSeconds is null && hook.SignalsSent.Count > 0)
        {
            var signal = hook.SignalsSent.First();
            return version >= KubeVersion.StopSignalField
                ? $"set lifecycle.stopSignal: SIG{signal} (Kubernetes >= 1.33), or run [\"/lameduck/lameduck-init\", \"signal\", \"{signal}\"] from a copied-in lameduck-init"
                : $"run [\"/lameduck/lameduck-init\", \"signal\", \"{signal}\"] from a lameduck-init copied into the pod, or bake the signal into the image's STOPSIGNAL";
        }
        return version >= KubeVersion.NativeSleepAction
            ? $"use the native sleep action (Kubernetes >= 1.30): lifecycle.preStop.sleep.seconds: {seconds}"
            : $"Kubernetes {version} has no native sleep action (1.30+): copy lameduck-init into the pod and use exec [\"/lameduck/lameduck-init\", \"sleep\", \"{seconds}s\"]";
    }
}
