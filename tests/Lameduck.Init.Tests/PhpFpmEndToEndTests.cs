using Lameduck.Init.Tests.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Init.Tests;

/// <summary>
/// The write-ups' php-fpm stack: nginx in front of php-fpm 8.2 (Debian), a PHP script that takes 200 ms,
/// php-fpm under lameduck-init --preset php-fpm and stopped while the script runs. Without
/// process_control_timeout the master kills the busy worker (nginx answers 502) and lameduck-init warned
/// about it at start; with it the request completes.
/// </summary>
[Collection(ShutdownTimingCollection.Name)]
public sealed class PhpFpmEndToEndTests : IDisposable
{
    private const string PhpFpm = "/usr/sbin/php-fpm8.2";
    private readonly TempDirectory _dir = new();
    private readonly int _nginxPort = FreePort.Next();
    private readonly int _fpmPort = FreePort.Next();
    private readonly SupervisedRun _nginx;

    public PhpFpmEndToEndTests()
    {
        _dir.Write("www/slow.php", $$"""
            <?php
            // In flight for certain when the stop signal goes out: wait for the test's word, then work 200 ms.
            file_put_contents('{{_dir.Path}}/started', '1');
            while (!file_exists('{{_dir.Path}}/stopping')) { clearstatcache(); usleep(5000); }
            usleep(200000);
            echo "done";
            """);
        var nginx = NginxConfig.Write(_dir, $$"""
            server {
                listen 127.0.0.1:{{_nginxPort}};
                root {{_dir.Path}}/www;
                location ~ \.php$ {
                    include /etc/nginx/fastcgi_params;
                    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                    fastcgi_pass 127.0.0.1:{{_fpmPort}};
                }
            }
            """);
        _nginx = SupervisedRun.Start(nginx[0], nginx[1..]);
    }

    private string[] PhpFpmCommand(string? processControlTimeout)
    {
        bool root = Environment.UserName == "root";
        var config = _dir.Write("php-fpm.conf", $"""
            [global]
            pid = {_dir.Path}/php-fpm.pid
            error_log = {_dir.Path}/php-fpm.log
            daemonize = no
            {(processControlTimeout is null ? "" : "process_control_timeout = " + processControlTimeout)}

            [www]
            listen = 127.0.0.1:{_fpmPort}
            pm = static
            pm.max_children = 2
            {(root ? "user = root\ngroup = root" : "")}
            """);
        return root ? [PhpFpm, "--nodaemonize", "--allow-to-run-as-root", "-y", config] : [PhpFpm, "--nodaemonize", "-y", config];
    }

    [Fact]
    public void With_process_control_timeout_the_request_in_flight_completes()
    {
        using var run = SupervisedRun.Init(["--preset", "php-fpm", "--delay", "0s", "--grace-period", "30s", "--", .. PhpFpmCommand("20s")]);
        var (status, body) = RequestWhileStopping(run);

        Assert.Equal(200, status);
        Assert.Equal("done", body);
        Assert.DoesNotContain("warning", run.StderrText);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void Without_process_control_timeout_the_request_fails_and_lameduck_init_warned()
    {
        using var run = SupervisedRun.Init(["--preset", "php-fpm", "--delay", "0s", "--grace-period", "30s", "--", .. PhpFpmCommand(null)]);
        Assert.Contains("has no process_control_timeout", run.WaitForLine("warning: "));
        var (status, _) = RequestWhileStopping(run);

        Assert.Equal(502, status);
        run.WaitForExit(TimeSpan.FromSeconds(60));
    }

    /// <summary>Sends GET /slow.php through nginx, SIGTERMs lameduck-init once the script runs, lets the script finish its 200 ms, returns the answer.</summary>
    private (int Status, string Body) RequestWhileStopping(SupervisedRun run)
    {
        string Diagnostics() => $"php-fpm log: {Read("php-fpm.log")}\nnginx: {NginxConfig.ErrorLog(_dir)}\nlameduck-init: {run.StderrText}";
        FreePort.WaitUntilListening(_fpmPort, Diagnostics, run);
        FreePort.WaitUntilListening(_nginxPort, Diagnostics, _nginx);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var response = http.GetAsync($"http://127.0.0.1:{_nginxPort}/slow.php");
        Wait.Until(() => File.Exists(_dir.File("started")), TimeSpan.FromSeconds(30), () => "the PHP script to start; " + Diagnostics());
        run.Signal(SignalTable.SIGTERM);
        run.WaitForLine(" stop: "); // php-fpm has been sent SIGQUIT
        File.WriteAllText(_dir.File("stopping"), "");
        var answer = response.GetAwaiter().GetResult();
        return ((int)answer.StatusCode, answer.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    private string Read(string name) => File.Exists(_dir.File(name)) ? File.ReadAllText(_dir.File(name)) : $"(no {name})";

    public void Dispose()
    {
        _nginx.Dispose();
        _dir.Dispose();
    }
}
