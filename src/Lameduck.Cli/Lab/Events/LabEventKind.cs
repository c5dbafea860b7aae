namespace Lameduck.Cli.Lab.Events;

/// <summary>The lifecycle moments the lab records; the names follow the kubelet's vocabulary.</summary>
public enum LabEventKind
{
    /// <summary>The ingress process (or the in-process l7 / kube-proxy ingress) is listening.</summary>
    IngressStarted,
    /// <summary>A replica process was started on its port.</summary>
    ReplicaStarted,
    /// <summary>The readiness probe reached its success threshold.</summary>
    Ready,
    /// <summary>The readiness probe reached its failure threshold (outside termination).</summary>
    NotReady,
    /// <summary>The ingress started routing to the replica.</summary>
    EndpointAdded,
    /// <summary>The rolling update began.</summary>
    RolloutStarted,
    /// <summary>The pod was deleted: termination began and the grace period started counting.</summary>
    Terminating,
    /// <summary>The ingress stopped routing new traffic to the replica (after the propagation delay).</summary>
    EndpointRemoved,
    /// <summary>The preStop hook (command or sleep) finished.</summary>
    PreStopDone,
    /// <summary>The stop signal (SIGTERM by default) was sent.</summary>
    SignalSent,
    /// <summary>The grace period ran out and the replica's process group got SIGKILL.</summary>
    Killed,
    /// <summary>The replica process exited (the detail holds its exit code).</summary>
    Exited,
    /// <summary>The rolling update finished: every new replica ready, every old one gone.</summary>
    RolloutDone,
    /// <summary>The load started or stopped.</summary>
    Load,
}
