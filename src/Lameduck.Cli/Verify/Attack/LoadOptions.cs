using Lameduck.Cli.CommandLine;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>
/// What to send, how fast and for how long. The command line's flags map one to one onto these.
/// </summary>
/// <example>
/// <code>
/// var options = new LoadOptions { Target = new Uri("http://127.0.0.1:8080/"), Rate = 1000, Duration = TimeSpan.FromSeconds(60) };
/// var result = await LoadGenerator.RunAsync(options, ct);
/// Console.WriteLine(result.Summary.SuccessRatio);
/// </code>
/// </example>
public sealed record LoadOptions
{
    /// <summary>Absolute http:// or https:// URL every request goes to.</summary>
    public required Uri Target { get; init; }

    /// <summary>Requests per second (open model: request <c>i</c> is due at <c>i / Rate</c>). Must be &gt; 0.</summary>
    public double Rate { get; init; } = LoadFlags.DefaultRate;

    /// <summary>How long to keep scheduling requests. Must be &gt; 0.</summary>
    public TimeSpan Duration { get; init; } = LoadFlags.DefaultDuration;

    /// <summary>
    /// Most requests outstanding at once; a request due when this many are outstanding is not sent and is
    /// counted as saturated. 0 means <see cref="DefaultMaxInFlight"/>.
    /// </summary>
    public int MaxInFlight { get; init; }

    /// <summary>Per-request limit from send to the end of the response body; past it the request is a timeout.</summary>
    public TimeSpan Timeout { get; init; } = LoadFlags.DefaultTimeout;

    /// <summary>HTTP method.</summary>
    public HttpMethod Method { get; init; } = HttpMethod.Get;

    /// <summary>Extra request headers, in order (a name may repeat).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Request body, sent with every request; null for none.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>HTTP/2 with prior knowledge (h2c on http://), no fallback to HTTP/1.1.</summary>
    public bool Http2 { get; init; }

    /// <summary>Reuse connections (HTTP/1.1 keep-alive); false sends <c>Connection: close</c> and opens one per request.</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>
    /// A server certificate trusted as it is, in place of the usual chain validation (TLS only): the warm-up's own
    /// throwaway endpoint (<see cref="WarmupTarget"/>). Not settable from the command line.
    /// </summary>
    internal System.Security.Cryptography.X509Certificates.X509Certificate2? TrustedServerCertificate { get; init; }

    /// <summary>Results file to stream every request record to (CSV, see ResultsCsv); null for none.</summary>
    public string? ResultsPath { get; init; }

    /// <summary>
    /// The default in-flight bound: enough for the whole rate to stall for a full timeout (so a hung server shows
    /// as timeouts, not saturation), at least 64, at most 1,000. Each request in flight holds a connection; on the
    /// SocketsHttpHandler path (https, HTTP/2) also about 30 KB: measured at 10,000 req/s on a busy 2-core machine,
    /// a cap of 10,000 reached 263–361 MB of RSS during stalls, 1,000 kept it near 100 MB. The epoll HTTP/1.1
    /// engine needs a few hundred bytes per connection (10,000 hanging: 53 MB). Raise <see cref="MaxInFlight"/> to
    /// see long hangs as timeouts.
    /// </summary>
    public int DefaultMaxInFlight => (int)Math.Clamp(Math.Ceiling(Rate * Math.Max(Timeout.TotalSeconds, 0.001)), 64, 1_000);

    /// <summary>The in-flight bound in force: <see cref="MaxInFlight"/> or the default.</summary>
    public int EffectiveMaxInFlight => MaxInFlight > 0 ? MaxInFlight : DefaultMaxInFlight;

    /// <summary>Number of requests the schedule holds: <c>floor(Rate × Duration)</c>, at least 1.</summary>
    public long ScheduledRequests => Math.Max(1, (long)Math.Floor(Rate * Duration.TotalSeconds + 1e-9));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Target.IsAbsoluteUri || (Target.Scheme != Uri.UriSchemeHttp && Target.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"target must be an absolute http:// or https:// URL (got '{Target}')", nameof(Target));
        if (!(Rate > 0) || double.IsInfinity(Rate))
            throw new ArgumentException($"rate must be a number > 0 (got {Rate})", nameof(Rate));
        if (Duration <= TimeSpan.Zero)
            throw new ArgumentException($"duration must be > 0 (got {Duration})", nameof(Duration));
        if (Timeout <= TimeSpan.Zero)
            throw new ArgumentException($"timeout must be > 0 (got {Timeout})", nameof(Timeout));
        if (MaxInFlight < 0)
            throw new ArgumentException($"max in-flight must be >= 0 (got {MaxInFlight})", nameof(MaxInFlight));
    }
}
