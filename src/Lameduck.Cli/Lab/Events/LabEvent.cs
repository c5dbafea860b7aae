using System.Globalization;

namespace Lameduck.Cli.Lab.Events;

/// <summary>One timestamped lifecycle event of a lab run.</summary>
/// <param name="At">Time since the lab started.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Subject">The replica (e.g. <c>r2</c>) or component (<c>ingress</c>, <c>rollout</c>) it happened to.</param>
/// <param name="Detail">Free text: port, pid, exit code, signal name.</param>
public sealed record LabEvent(TimeSpan At, LabEventKind Kind, string Subject, string Detail)
{
    /// <summary>A short label for a timeline marker: <c>r2 terminating</c>, <c>r2 SIGTERM</c>.</summary>
    public string Marker => Kind switch
    {
        LabEventKind.IngressStarted => "ingress started",
        LabEventKind.ReplicaStarted => Subject + " started",
        LabEventKind.Ready => Subject + " ready",
        LabEventKind.NotReady => Subject + " not ready",
        LabEventKind.EndpointAdded => Subject + " endpoint added",
        LabEventKind.RolloutStarted => "rollout started",
        LabEventKind.Terminating => Subject + " terminating",
        LabEventKind.EndpointRemoved => Subject + " endpoint removed",
        LabEventKind.PreStopDone => Subject + " preStop done",
        LabEventKind.SignalSent => Subject + " " + Detail,
        LabEventKind.Killed => Subject + " SIGKILL",
        LabEventKind.Exited => Subject + " exited",
        LabEventKind.RolloutDone => "rollout done",
        LabEventKind.Load => IsLoadDone ? "load done" : "load started",
        _ => Subject + " " + Kind,
    };

    /// <summary>True when <see cref="Subject"/> is a replica (its lifecycle), false for the ingress, the rollout and the load.</summary>
    public bool IsAboutReplica => Kind is not (LabEventKind.IngressStarted or LabEventKind.RolloutStarted or LabEventKind.RolloutDone or LabEventKind.Load);

    /// <summary>The detail shown with <see cref="Marker"/>, or null when the marker already says it all.</summary>
    public string? MarkerDetail => Kind == LabEventKind.SignalSent || Detail.Length == 0 || IsLoadDone ? null : Detail;

    /// <summary>The runner records the load's end as a <see cref="LabEventKind.Load"/> event with the detail <c>done</c>.</summary>
    private bool IsLoadDone => Kind == LabEventKind.Load && Detail == "done";

    /// <summary>One line for the text report: <c>  12.345s  r2  Terminating  port 40121</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{At.TotalSeconds,9:0.000}s  {Subject,-8} {Kind,-15} {Detail}");
}
