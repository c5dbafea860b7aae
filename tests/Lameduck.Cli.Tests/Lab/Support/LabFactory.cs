using Lameduck.Cli.Lab;
using Lameduck.Cli.Lab.Ingress;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Lab.Rollout;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>Short, test-sized lab settings around a command.</summary>
internal static class LabFactory
{
    public static LabSettings Settings(IReadOnlyList<string> command, int replicas = 3, IngressKind ingress = IngressKind.L7,
        string propagation = "0.5s", TimeSpan? grace = null, PreStopHook? preStop = null, int maxSurge = 1, int maxUnavailable = 0,
        double rate = 200, double durationSeconds = 4, double rolloutAtSeconds = 1, IReadOnlyDictionary<string, string>? env = null) => new()
    {
        Template = new ReplicaTemplate(command, env ?? new Dictionary<string, string>()),
        App = "test",
        Strategy = new RolloutStrategy(replicas, maxSurge, maxUnavailable),
        Rate = rate,
        Duration = TimeSpan.FromSeconds(durationSeconds),
        RolloutAt = TimeSpan.FromSeconds(rolloutAtSeconds),
        Ingress = ingress,
        Propagation = PropagationDelay.Parse(propagation, 1),
        Termination = new TerminationSettings(grace ?? TimeSpan.FromSeconds(30), preStop, SignalTable.SIGTERM),
        Probe = new ProbeSettings("/healthz/ready", TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), 1, 3),
    };
}
