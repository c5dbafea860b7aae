using Lameduck.Init.Tests.Support;

namespace Lameduck.Init.Tests;

/// <summary>
/// Real HAProxy (Debian) in front of a slow download (nginx with limit_rate), stopped while the download is
/// in flight. SIGTERM (tini forwards it) is HAProxy's hard stop and cuts it; lameduck-init --preset haproxy
/// sends SIGUSR1, the soft stop, and it completes.
/// </summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class HaproxyEndToEndTests : IDisposable
{
    private const int FileSize = 3 * 1024 * 1024; // at 1 MB/s: a 3 s download
    private readonly TempDirectory _dir = new();
    private readonly int _backendPort = FreePort.Next();
    private readonly int _port = FreePort.Next();
    private readonly SupervisedRun _backend;
    private readonly string[] _haproxy;

    public HaproxyEndToEndTests()
    {
        Directory.CreateDirectory(_dir.File("www"));
        File.WriteAllBytes(_dir.File("www/big.bin"), new byte[FileSize]);
        var nginx = NginxConfig.Write(_dir, $$"""
            server {
                listen 127.0.0.1:{{_backendPort}};
                root {{_dir.Path}}/www;
                location / { limit_rate 1m; }
            }
            """);
        _backend = SupervisedRun.Start(nginx[0], nginx[1..]);
        var config = _dir.Write("haproxy.cfg", $"""
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s
            frontend web
                bind 127.0.0.1:{_port}
                default_backend slow
            backend slow
                server nginx 127.0.0.1:{_backendPort}

            """); // haproxy wants a newline after the last line
        _haproxy = ["/usr/sbin/haproxy", "-db", "-f", config];
    }

    [Fact]
    public void Under_lameduck_init_a_download_in_flight_at_SIGTERM_completes()
    {
        using var run = SupervisedRun.Init(["--preset", "haproxy", "--delay", "0s", "--grace-period", "30s", "--", .. _haproxy]);
        var (received, expected) = DownloadWhileStopping(run);

        Assert.Equal(expected, received);
        Assert.Contains("sent SIGUSR1 to haproxy (pid ", run.StderrText); // the master alone: it relays to its workers
        var code = run.WaitForExit(TimeSpan.FromSeconds(60));
        // lameduck-init exits with HAProxy's own status: 0 after a soft stop. Once in this session's thousands of soft
        // stops (run 87) Debian 12's HAProxy 2.6.12 itself crashed as it finished, after the download had completed
        // (kernel: "haproxy[N]: segfault at 0 ... error 4"; likely haproxy/haproxy#2114, a 2.6.12 crash fixed in
        // 2.6.14), and lameduck-init passed that on, as it must: 139 with the app's SIGSEGV in its log. That is
        // accepted, nothing else: any other code, or 139 without HAProxy's SIGSEGV, fails.
        if (code == 139 && run.StderrText.Contains("exit: app killed by SIGSEGV; exiting with 139", StringComparison.Ordinal)) return;
        Assert.True(code == 0, $"lameduck-init exited {code}\n{run.StderrText}");
    }

    [Fact]
    public void Under_tini_which_forwards_SIGTERM_the_same_download_is_cut()
    {
        using var run = SupervisedRun.Start("tini", ["-s", "--", .. _haproxy]);
        var (received, expected) = DownloadWhileStopping(run);

        Assert.True(received < expected, $"the download was not cut: {received} of {expected} bytes");
        run.WaitForExit(TimeSpan.FromSeconds(60));
    }

    private (long Received, long Expected) DownloadWhileStopping(SupervisedRun run)
    {
        FreePort.WaitUntilListening(_backendPort, () => NginxConfig.ErrorLog(_dir), _backend);
        FreePort.WaitUntilListening(_port, () => run.StderrText, run);
        var (received, expected) = SlowDownload.WhileStopping(_port, "/big.bin", run);
        Assert.Equal(FileSize, expected);
        return (received, expected);
    }

    public void Dispose()
    {
        _backend.Dispose();
        _dir.Dispose();
    }
}
