using System.Net.Http;

namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>
/// Probes one replica's readiness like the kubelet: an HTTP GET every period on a fresh connection,
/// 2xx/3xx within the timeout is a success; the replica turns ready after
/// <see cref="ProbeSettings.SuccessThreshold"/> successes in a row and unready after
/// <see cref="ProbeSettings.FailureThreshold"/> failures in a row. It starts unready.
/// </summary>
public sealed class ReadinessProber : IAsyncDisposable
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        // The kubelet does not reuse connections for probes; neither do we.
        PooledConnectionLifetime = TimeSpan.Zero,
        UseProxy = false,
        AllowAutoRedirect = false,
    }) { Timeout = Timeout.InfiniteTimeSpan };

    private readonly ProbeSettings _settings;
    private readonly Uri _uri;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _successes;
    private int _failures;
    private int _disposed;

    /// <summary>Starts probing <c>http://127.0.0.1:port{path}</c>; <paramref name="onChange"/> gets each transition (true = ready).</summary>
    public ReadinessProber(int port, ProbeSettings settings, Action<bool> onChange)
    {
        _settings = settings;
        _uri = new Uri($"http://127.0.0.1:{port}{(settings.Path.StartsWith('/') ? "" : "/")}{settings.Path}");
        _loop = Task.Run(() => LoopAsync(onChange, _stop.Token));
    }

    /// <summary>The current verdict.</summary>
    public bool IsReady { get; private set; }

    /// <summary>Stops probing (the kubelet's view freezes; used when a pod starts terminating).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private async Task LoopAsync(Action<bool> onChange, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_settings.Period);
        do
        {
            bool ok = await ProbeOnceAsync(ct).ConfigureAwait(false);
            if (ok) { _successes++; _failures = 0; } else { _failures++; _successes = 0; }
            if (!IsReady && _successes >= _settings.SuccessThreshold)
            {
                IsReady = true;
                onChange(true);
            }
            else if (IsReady && _failures >= _settings.FailureThreshold)
            {
                IsReady = false;
                onChange(false);
            }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    private async Task<bool> ProbeOnceAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _uri);
            request.Headers.ConnectionClose = true;
            request.Headers.UserAgent.ParseAdd("kube-probe/lameduck-lab");
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            int code = (int)response.StatusCode;
            return code is >= 200 and < 400;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // probe timeout
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
