using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lab.Ingress;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Lab.Rollout;
using Lameduck.Cli.Lab.Sessions;
using Lameduck.Text;

namespace Lameduck.Cli.Lab;

/// <summary>Everything a lab run needs, as parsed from the command line.</summary>
public sealed record LabSettings
{
    /// <summary>The pod template: the command every replica runs.</summary>
    public required ReplicaTemplate Template { get; init; }

    /// <summary>Label of the app in reports (<c>baseline</c>, <c>lameduck</c>, or the command).</summary>
    public required string App { get; init; }

    /// <summary>Desired replicas, maxSurge, maxUnavailable.</summary>
    public required RolloutStrategy Strategy { get; init; }

    /// <summary>Requests per second sent to the ingress.</summary>
    public double Rate { get; init; } = LoadFlags.DefaultRate;

    /// <summary>How long the load runs.</summary>
    public TimeSpan Duration { get; init; } = LoadFlags.DefaultDuration;

    /// <summary>
    /// End the load this long after the rollout is over (every old pod exited, every new one ready) instead of at
    /// <see cref="Duration"/>, which then only caps it; null: the load runs its whole <see cref="Duration"/>.
    /// </summary>
    public TimeSpan? EndAfterRollout { get; init; }

    /// <summary>The load as reports describe it: <c>1000 req/s for 20s</c>, or <c>… for up to 20s, ending 1s after the rollout</c>.</summary>
    public string LoadText => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Rate:0.#} req/s for ") +
        (EndAfterRollout is { } tail ? $"up to {DurationText.Format(Duration)}, ending {DurationText.Format(tail)} after the rollout" : DurationText.Format(Duration));

    /// <summary>When the rolling update starts, counted from the start of the load.</summary>
    public TimeSpan RolloutAt { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Which ingress stands in front of the replicas.</summary>
    public IngressKind Ingress { get; init; } = IngressKind.L7;

    /// <summary>Turn the proxy's own retry/ejection defaults back on (they mask errors).</summary>
    public bool IngressRetries { get; init; }

    /// <summary>Endpoint propagation delay, fixed or per pod from a range.</summary>
    public required PropagationDelay Propagation { get; init; }

    /// <summary>Seed for propagation draws and the kube-proxy balancer's choices.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Grace period, preStop hook, stop signal.</summary>
    public required TerminationSettings Termination { get; init; }

    /// <summary>The readiness probe.</summary>
    public required ProbeSettings Probe { get; init; }

    /// <summary>Per-request limit of the load.</summary>
    public TimeSpan Timeout { get; init; } = LoadFlags.DefaultTimeout;

    /// <summary>Whether the load reuses connections (verify's <c>--keep-alive</c>).</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>Long-lived sessions (WebSocket, SSE) held open through the rollout, or null for none (<c>--sessions</c>).</summary>
    public SessionSettings? Sessions { get; init; }

    /// <summary>How long the first replicas may take to become ready.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The Deployment's <c>progressDeadlineSeconds</c>: a rollout that takes longer fails.</summary>
    public TimeSpan ProgressDeadline { get; init; } = TimeSpan.FromMinutes(10);
}
