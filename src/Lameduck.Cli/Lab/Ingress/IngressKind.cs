using Lameduck.Cli.Lab.Ingress.L7;

namespace Lameduck.Cli.Lab.Ingress;

/// <summary>The ingresses the lab can put in front of the replicas.</summary>
public enum IngressKind
{
    /// <summary>In-process L7 proxy modelled on ingress-nginx: per-request round robin over pooled keep-alive upstream connections (needs nothing installed; the default).</summary>
    L7,
    /// <summary>In-process TCP balancer modelled on kube-proxy: a connection is pinned to one endpoint (needs nothing installed).</summary>
    KubeProxy,
    /// <summary>nginx from Debian's nginx-light/nginx package, reconfigured by reload.</summary>
    Nginx,
    /// <summary>HAProxy from Debian's haproxy package, reconfigured through its runtime API.</summary>
    Haproxy,
}

/// <summary>The <c>--ingress</c> names of <see cref="IngressKind"/> and the factory.</summary>
public static class IngressFactory
{
    /// <summary>The <c>--ingress</c> values, in the order help and errors list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["l7", "kube-proxy", "nginx", "haproxy"];

    /// <summary>The <c>--ingress</c> value of <paramref name="kind"/>, also the JSON report's <c>"ingress"</c>.</summary>
    public static string Name(this IngressKind kind) => kind switch
    {
        IngressKind.L7 => "l7",
        IngressKind.KubeProxy => "kube-proxy",
        IngressKind.Nginx => "nginx",
        IngressKind.Haproxy => "haproxy",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind named <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">Not an ingress name.</exception>
    public static IngressKind Parse(string name) => name switch
    {
        "l7" => IngressKind.L7,
        "kube-proxy" => IngressKind.KubeProxy,
        "nginx" => IngressKind.Nginx,
        "haproxy" => IngressKind.Haproxy,
        _ => throw new ArgumentException($"'{name}' is not an ingress: {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>Creates (does not start) an ingress; <paramref name="retries"/> turns the proxy's own retry/eject defaults back on.</summary>
    public static IIngress Create(IngressKind kind, int seed, bool retries) => kind switch
    {
        IngressKind.L7 => new L7Ingress(retries),
        IngressKind.KubeProxy => new KubeProxyBalancer(seed),
        IngressKind.Nginx => new NginxIngress(retries),
        IngressKind.Haproxy => new HaproxyIngress(retries),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
