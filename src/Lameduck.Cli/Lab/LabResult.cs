using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Rollout;

namespace Lameduck.Cli.Lab;

/// <summary>What the lab itself observed (the load's figures come from verify's engine).</summary>
/// <param name="Ingress">The ingress's name.</param>
/// <param name="Rollout">The rolling update, or null when the lab stopped before it began.</param>
/// <param name="Events">Every lifecycle event, in order.</param>
/// <param name="LoadStartedAt">
/// When the load started, on the lab's clock (to line events up with the load's timeline): the runner's "load" event,
/// which the lab command replaces with the load's t0 (its first request due) once the load has run.
/// </param>
/// <param name="Interrupted">True when the run was cancelled (Ctrl-C) before it finished.</param>
/// <param name="ProcessIds">Every process the lab started (replicas and ingress), for cleanup checks.</param>
/// <param name="Ports">Every port the lab listened on or handed out.</param>
/// <param name="IngressErrors">What the ingress server logged at error level or worse (<see cref="Ingress.IIngress.LoggedErrors"/>).</param>
public sealed record LabResult(
    string Ingress, RolloutResult? Rollout, IReadOnlyList<LabEvent> Events, TimeSpan LoadStartedAt, bool Interrupted,
    IReadOnlyList<int> ProcessIds, IReadOnlyList<int> Ports, IReadOnlyList<string> IngressErrors);
