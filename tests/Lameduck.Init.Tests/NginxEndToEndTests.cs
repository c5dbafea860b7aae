using Lameduck.Init.Tests.Support;

namespace Lameduck.Init.Tests;

/// <summary>
/// Real nginx (Debian) stopped while a slow download is in flight. tini forwards SIGTERM, nginx's fast
/// shutdown, and the download is cut; lameduck-init --preset nginx sends SIGQUIT, nginx's graceful
/// shutdown, and it completes. (The lab's rollout at 1,000 req/s is the full version of this.)
/// </summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class NginxEndToEndTests : IDisposable
{
    private const int FileSize = 3 * 1024 * 1024; // at 1 MB/s: a 3 s download
    private readonly TempDirectory _dir = new();
    private readonly int _port = FreePort.Next();
    private readonly string[] _nginx;

    public NginxEndToEndTests()
    {
        Directory.CreateDirectory(_dir.File("www"));
        File.WriteAllBytes(_dir.File("www/big.bin"), new byte[FileSize]);
        _nginx = NginxConfig.Write(_dir, $$"""
            server {
                listen 127.0.0.1:{{_port}};
                root {{_dir.Path}}/www;
                location / { limit_rate 1m; }
            }
            """);
    }

    [Fact]
    public void Under_lameduck_init_a_download_in_flight_at_SIGTERM_completes()
    {
        using var run = SupervisedRun.Init(["--preset", "nginx", "--delay", "0s", "--grace-period", "30s", "--", .. _nginx]);
        var (received, expected) = DownloadWhileStopping(run);

        Assert.Equal(expected, received);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("sent SIGQUIT to nginx (pid ", run.StderrText); // the master alone: it relays to its workers
    }

    [Fact]
    public void Under_tini_which_forwards_SIGTERM_the_same_download_is_cut()
    {
        using var run = SupervisedRun.Start("tini", ["-s", "--", .. _nginx]);
        var (received, expected) = DownloadWhileStopping(run);

        Assert.True(received < expected, $"the download was not cut: {received} of {expected} bytes");
        run.WaitForExit(TimeSpan.FromSeconds(60));
    }

    private (long Received, long Expected) DownloadWhileStopping(SupervisedRun run)
    {
        FreePort.WaitUntilListening(_port, () => NginxConfig.ErrorLog(_dir) + "\n" + run.StderrText, run);
        var (received, expected) = SlowDownload.WhileStopping(_port, "/big.bin", run);
        Assert.Equal(FileSize, expected);
        return (received, expected);
    }

    public void Dispose() => _dir.Dispose();
}
