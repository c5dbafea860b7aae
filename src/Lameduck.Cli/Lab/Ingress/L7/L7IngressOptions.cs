namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// The l7 ingress's settings, each named after the nginx directive it stands for (ingress-nginx's
/// defaults unless said otherwise).
/// </summary>
internal sealed record L7IngressOptions
{
    /// <summary>
    /// false (the lab's default): <c>proxy_next_upstream off</c> and <c>max_fails=0</c>, a failed upstream is a
    /// 502/504 for the client. true: nginx's own defaults, <c>proxy_next_upstream error timeout</c> (the request
    /// goes to the next endpoint, tried over all of them) and <c>max_fails=1 fail_timeout=10s</c> (passive ejection).
    /// </summary>
    public bool Retries { get; init; }

    /// <summary><c>fail_timeout</c>: how long an endpoint that failed is skipped when <see cref="Retries"/> is on.</summary>
    public TimeSpan FailTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>proxy_connect_timeout</c>: 5 s as in the lab's nginx configuration (ingress-nginx's default is 5 s too).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>proxy_read_timeout</c> (60 s), applied to the wait for the response header; a response body has no read timeout here.</summary>
    public TimeSpan ResponseHeadersTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The upstream <c>keepalive_timeout</c> (60 s): how long an idle pooled connection to a replica is kept.</summary>
    public TimeSpan UpstreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The client <c>keepalive_timeout</c> (ingress-nginx's <c>keep-alive</c>, 75 s).</summary>
    public TimeSpan ClientKeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(75);
}
