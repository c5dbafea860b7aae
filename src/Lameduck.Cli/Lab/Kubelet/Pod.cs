using System.Globalization;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Replicas;

namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>
/// A replica as the kubelet runs it: the process, its readiness prober, and its termination once
/// the pod is deleted. Readiness transitions are reported to the caller, who owns the endpoints.
/// </summary>
public sealed class Pod : IAsyncDisposable
{
    private readonly ReadinessProber _prober;
    private int _terminating;

    private Pod(Replica replica, ProbeSettings probe, LabEventLog events, Action<Pod, bool> onReadinessChange)
    {
        Replica = replica;
        _prober = new ReadinessProber(replica.Port, probe, ready =>
        {
            if (IsTerminating) return;
            IsReady = ready;
            events.Record(ready ? LabEventKind.Ready : LabEventKind.NotReady, Name);
            onReadinessChange(this, ready);
        });
    }

    /// <summary>The process behind the pod.</summary>
    public Replica Replica { get; }

    /// <summary>Pod name, e.g. <c>r4</c>.</summary>
    public string Name => Replica.Name;

    /// <summary>Ready as the kubelet last saw it (frozen once terminating).</summary>
    public bool IsReady { get; private set; }

    /// <summary>True once the pod was deleted.</summary>
    public bool IsTerminating => Volatile.Read(ref _terminating) == 1;

    /// <summary>The running or finished termination, once deleted.</summary>
    public Task<Termination>? Termination { get; private set; }

    /// <summary>Starts the replica on <paramref name="port"/> and begins probing it.</summary>
    public static Pod Start(ReplicaTemplate template, string name, int port, string logDirectory, ProbeSettings probe, LabEventLog events, Action<Pod, bool> onReadinessChange)
    {
        var replica = Replica.Start(template, name, port, logDirectory);
        events.Record(LabEventKind.ReplicaStarted, name,
            string.Create(CultureInfo.InvariantCulture, $"port {port} pid {replica.Pid}"));
        return new Pod(replica, probe, events, onReadinessChange);
    }

    /// <summary>Deletes the pod: stops probing and runs the termination (see <see cref="PodTerminator"/>).</summary>
    public Task<Termination> Delete(PodTerminator terminator, TimeSpan propagation, Func<CancellationToken, Task> removeEndpoint, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _terminating, 1) == 1) return Termination!;
        Termination = Task.Run(async () =>
        {
            await _prober.DisposeAsync().ConfigureAwait(false);
            return await terminator.TerminateAsync(Replica, propagation, removeEndpoint, ct).ConfigureAwait(false);
        }, CancellationToken.None);
        return Termination;
    }

    /// <summary>Stops probing and kills the process group (cleanup).</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _terminating, 1);
        Replica.Dispose();
        await _prober.DisposeAsync().ConfigureAwait(false);
    }
}
