namespace Lameduck.Cli.Lab.Ingress;

/// <summary>The ingresses the lab can put in front of the replicas.</summary>
public enum IngressKind
{
    /// <summary>In-process TCP balancer modelled on kube-proxy (needs nothing installed).</summary>
    Builtin,
    /// <summary>nginx from Debian's nginx-light/nginx package, reconfigured by reload.</summary>
    Nginx,
    /// <summary>HAProxy from Debian's haproxy package, reconfigured through its runtime API.</summary>
    Haproxy,
}

/// <summary>Creates the ingress for a kind.</summary>
public static class IngressFactory
{
    /// <summary>Creates (does not start) an ingress; <paramref name="retries"/> turns the proxy's own retry/eject defaults back on.</summary>
    public static IIngress Create(IngressKind kind, int seed, bool retries) => kind switch
    {
        IngressKind.Builtin => new BuiltinTcpBalancer(seed),
        IngressKind.Nginx => new NginxIngress(retries),
        IngressKind.Haproxy => new HaproxyIngress(retries),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
