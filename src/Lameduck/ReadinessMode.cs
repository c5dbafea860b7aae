namespace Lameduck;

/// <summary>What the readiness probe answers during the lame-duck window and the drain.</summary>
/// <example><code>Lameduck__Readiness=KeepServing</code></example>
public enum ReadinessMode
{
    /// <summary>Readiness answers 503 from the moment the stop signal arrives (the default).</summary>
    Fail = 0,

    /// <summary>
    /// Readiness keeps answering 200, so Kubernetes' terminating-endpoint fallback can still route to the
    /// pod when every other endpoint is gone too.
    /// </summary>
    KeepServing = 1,
}
