namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>
/// How one old replica was terminated. Times are since the lab started.
/// </summary>
/// <param name="Replica">Replica name.</param>
/// <param name="Port">Its port.</param>
/// <param name="Propagation">The propagation delay drawn for this pod.</param>
/// <param name="TerminatingAt">Deletion: the grace period starts here.</param>
/// <param name="EndpointRemovedAt">When the ingress stopped routing to it (null if it never did).</param>
/// <param name="PreStopDoneAt">When the preStop hook finished (null without a hook).</param>
/// <param name="SignalSentAt">When the stop signal was sent (null if the process was already gone).</param>
/// <param name="ExitedAt">When the process exited.</param>
/// <param name="ExitCode">Its exit code (128 + signal number when a signal ended it).</param>
/// <param name="Killed">True when the grace period ran out and SIGKILL ended it.</param>
public sealed record Termination(
    string Replica, int Port, TimeSpan Propagation, TimeSpan TerminatingAt, TimeSpan? EndpointRemovedAt,
    TimeSpan? PreStopDoneAt, TimeSpan? SignalSentAt, TimeSpan ExitedAt, int ExitCode, bool Killed)
{
    /// <summary>From the stop signal to the exit: what a graceful shutdown costs each pod.</summary>
    public TimeSpan? SignalToExit => SignalSentAt is { } sent ? ExitedAt - sent : null;

    /// <summary>From deletion to the exit: what the pod costs the rollout.</summary>
    public TimeSpan TerminatingToExit => ExitedAt - TerminatingAt;
}
