namespace Lameduck.Cli.Lab.Ingress;

/// <summary>
/// What stands between the load and the replicas: it routes requests to its current view of the
/// endpoints, and learns of endpoint changes only when the lab tells it (after the propagation delay).
/// </summary>
/// <example>
/// <code>
/// await using IIngress ingress = new L7.L7Ingress(retries: false);
/// await ingress.StartAsync(workDir, ct);
/// await ingress.AddEndpointAsync(new Endpoint("r1", 40121), ct);
/// // send load to ingress.Address ...
/// </code>
/// </example>
public interface IIngress : IAsyncDisposable
{
    /// <summary><c>l7</c>, <c>kube-proxy</c>, <c>nginx</c> or <c>haproxy</c> (the <c>--ingress</c> value).</summary>
    string Name { get; }

    /// <summary>Where clients send requests, e.g. <c>http://127.0.0.1:40100/</c>. Valid after <see cref="StartAsync"/>.</summary>
    Uri Address { get; }

    /// <summary>Pid of the ingress server process, or null when it runs inside the lab.</summary>
    int? ProcessId { get; }

    /// <summary>Starts listening; <paramref name="workDirectory"/> holds its configuration, logs and sockets.</summary>
    Task StartAsync(string workDirectory, CancellationToken ct);

    /// <summary>Starts routing new traffic to <paramref name="endpoint"/>.</summary>
    Task AddEndpointAsync(Endpoint endpoint, CancellationToken ct);

    /// <summary>Stops routing new traffic to <paramref name="endpoint"/>; what this does to open connections depends on the ingress.</summary>
    Task RemoveEndpointAsync(Endpoint endpoint, CancellationToken ct);

    /// <summary>
    /// What the ingress server logged at error level or worse so far, oldest first: for nginx, why it answered a 502 or
    /// 504 (<c>connect() failed (111: Connection refused) while connecting to upstream</c>, <c>upstream prematurely
    /// closed connection</c>, ...), which the client's status code alone does not say. Empty for the ingresses that
    /// run inside the lab (their errors are the statuses themselves) and for HAProxy (no log target configured).
    /// </summary>
    IReadOnlyList<string> LoggedErrors() => [];
}
