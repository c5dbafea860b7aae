using Lameduck.Cli.Lint.Knowledge;
using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Budget;

namespace Lameduck.Cli.Lint.Rules;

/// <summary>What kind of container a fix is written for: it decides which tool the fix text offers.</summary>
internal enum ContainerKind
{
    /// <summary>A .NET service (a .NET image, ASPNETCORE_/DOTNET_ or Lameduck__ variables): the Lameduck library.</summary>
    DotNet,

    /// <summary>A server lameduck-init has a preset for (nginx, php-fpm, HAProxy, Apache httpd).</summary>
    PresetServer,

    /// <summary>Anything else (Go, Java, Node, Redis...): a preStop sleep.</summary>
    Other,
}

/// <summary>
/// The shutdown-delay fix for one container, written for what it runs and always within its pod's own grace-period
/// budget (the shutdown contract's arithmetic): the delay offered leaves the safety margin and time to drain.
/// </summary>
internal static class ShutdownFix
{
    /// <summary>What the container is, for the fix text.</summary>
    public static ContainerKind KindOf(Container container)
    {
        if (Servers.Detect(container) is not null) return ContainerKind.PresetServer;
        var image = container.Image;
        if (image is not null && (image.Repository.StartsWith("dotnet/", StringComparison.Ordinal) && image.Registry == "mcr.microsoft.com"
            || image.Name.Contains("aspnet", StringComparison.OrdinalIgnoreCase) || image.Name.Contains("dotnet", StringComparison.OrdinalIgnoreCase)))
            return ContainerKind.DotNet;
        return container.Env.Any(e => e.Name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                                   || e.Name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)
                                   || e.Name.StartsWith("Lameduck__", StringComparison.OrdinalIgnoreCase))
            ? ContainerKind.DotNet
            : ContainerKind.Other;
    }

    /// <summary>
    /// The whole seconds of delay that fit the pod's budget: the contract's default delay (5 s) when the grace period
    /// leaves the safety margin and at least as much again to drain, less in a short grace period; 0 when nothing fits.
    /// </summary>
    public static int DelaySeconds(long graceSeconds, double preStopSeconds = 0)
    {
        var margin = ShutdownDefaults.SafetyMargin.TotalSeconds;
        var free = graceSeconds - preStopSeconds - margin;
        // Keep at least half of what is free for the drain itself.
        return (int)Math.Max(0, Math.Min(ShutdownDefaults.Delay.TotalSeconds, Math.Floor(free / 2)));
    }

    /// <summary>The one-line fix for a container with no shutdown delay, for its kind and its pod's grace period.</summary>
    public static string Text(Workload workload, Container container, KubeVersion kube)
    {
        var grace = workload.Pod.GracePeriodSeconds;
        int delay = DelaySeconds(grace);
        if (delay == 0)
        {
            var needed = ShutdownArithmetic.GraceSecondsFor(TimeSpan.Zero, ShutdownDefaults.Delay, ShutdownDefaults.SafetyMargin, ShutdownDefaults.Delay);
            return $"terminationGracePeriodSeconds {workload.Pod.GracePeriodText} leaves no room for a delay: raise it to {needed}, then add a 5 s delay";
        }
        var budget = $" (within the pod's {grace} s grace period: {grace - delay - (long)ShutdownDefaults.SafetyMargin.TotalSeconds} s left to drain)";
        return KindOf(container) switch
        {
            ContainerKind.DotNet => $"with the Lameduck library, set env Lameduck__Delay: \"00:00:{delay:00}\"{budget}",
            ContainerKind.PresetServer when Servers.Detect(container) is var (server, _) =>
                $"run it under lameduck-init --preset {server.Name} --delay {delay}s (it also sends {server.DisplayName}'s graceful stop signal){budget}",
            _ => kube >= KubeVersion.NativeSleepAction
                ? $"add lifecycle.preStop.sleep.seconds: {delay}{budget}"
                : $"add a preStop exec [\"sleep\", \"{delay}\"] (or lameduck-init sleep {delay}s in an image without a shell){budget}",
        };
    }
}
