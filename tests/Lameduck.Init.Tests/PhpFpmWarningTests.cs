using Lameduck.Init.Tests.Support;

namespace Lameduck.Init.Tests;

/// <summary>With the php-fpm preset, lameduck-init warns at start when php-fpm would kill requests in flight on SIGQUIT.</summary>
public sealed class PhpFpmWarningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private const string Pool = """
        [www]
        listen = 127.0.0.1:9000
        pm = static
        pm.max_children = 2
        """;

    /// <summary>Runs lameduck-init --preset php-fpm on a stand-in app given php-fpm's -y flag, as the real one would be.</summary>
    private string StartupLog(params string[] configArgs)
    {
        using var run = SupervisedRun.Init(["--preset", "php-fpm", "--delay", "5s", "--grace-period", "30s", "--margin", "2s", "--", "true", .. configArgs]);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        return run.StderrText;
    }

    [Fact]
    public void Warns_when_process_control_timeout_is_missing()
    {
        var config = _dir.Write("php-fpm.conf", "[global]\npid = /tmp/x.pid\n\n" + Pool);
        var log = StartupLog("-y", config);
        Assert.Contains($"warning: php-fpm preset: {config} has no process_control_timeout", log);
        Assert.Contains("Add 'process_control_timeout = 23s' to [global]", log); // 30s − 2s − 5s
    }

    [Fact]
    public void Warns_when_process_control_timeout_is_zero()
    {
        var config = _dir.Write("php-fpm.conf", "[global]\nprocess_control_timeout = 0\n" + Pool);
        Assert.Contains($"{config}:2: process_control_timeout is 0", StartupLog("--fpm-config", config));
    }

    [Fact]
    public void Warns_when_process_control_timeout_does_not_fit_in_the_grace_period()
    {
        var config = _dir.Write("php-fpm.conf", "[global]\n; drain slowly\nprocess_control_timeout = 1m\n" + Pool);
        var log = StartupLog($"--fpm-config={config}");
        Assert.Contains($"{config}:3: process_control_timeout 1m does not fit", log);
        Assert.Contains("only 23s remain before SIGKILL", log);
    }

    [Fact]
    public void Is_quiet_when_process_control_timeout_fits()
    {
        var config = _dir.Write("php-fpm.conf", "[global]\nprocess_control_timeout = 20s\n" + Pool);
        Assert.DoesNotContain("warning", StartupLog("-y" + config));
    }

    [Fact]
    public void A_pool_setting_of_the_same_name_does_not_count_but_an_included_global_one_does()
    {
        var inPool = _dir.Write("pool-only.conf", "[global]\npid = /tmp/x.pid\n" + Pool + "\nprocess_control_timeout = 20s\n");
        Assert.Contains("has no process_control_timeout", StartupLog("-y", inPool));

        _dir.Write("conf.d/10-timeouts.conf", "[global]\nprocess_control_timeout = 10s\n");
        _dir.Write("pool.d/www.conf", Pool);
        var main = _dir.Write("main.conf", "[global]\npid = /tmp/x.pid\ninclude=conf.d/*.conf\ninclude=pool.d/*.conf\n");
        Assert.DoesNotContain("warning", StartupLog("-y", main));
    }

    [Fact]
    public void Follows_the_official_images_layout_where_include_is_relative_to_the_prefix()
    {
        // php:8.2-fpm: /usr/local/etc/php-fpm.conf has include=etc/php-fpm.d/*.conf, relative to the prefix /usr/local.
        _dir.Write("usr/local/etc/php-fpm.d/www.conf", Pool);
        _dir.Write("usr/local/etc/php-fpm.d/zz-lameduck.conf", "[global]\nprocess_control_timeout = 20s\n");
        var config = _dir.Write("usr/local/etc/php-fpm.conf", "[global]\ninclude=etc/php-fpm.d/*.conf\n");
        Assert.DoesNotContain("warning", StartupLog("-y", config));
        Assert.DoesNotContain("warning", StartupLog("--prefix", _dir.File("usr/local"), "-y", config));
    }

    [Fact]
    public void A_config_that_cannot_be_read_gives_a_warning_and_the_app_still_runs()
    {
        // A file that exists but fails to read even for root (EIO at offset 0): lameduck-init's own memory.
        var log = StartupLog("-y", "/proc/self/mem");
        Assert.Contains("php-fpm preset: cannot check process_control_timeout: Input/output error : '/proc/self/mem'", log);
        Assert.Contains(" exit: app exited with code 0", log);
    }

    [Fact]
    public void Warns_when_the_named_config_does_not_exist()
    {
        var missing = _dir.File("nope.conf");
        Assert.Contains($"{missing} (from the php-fpm command line) does not exist", StartupLog("-y", missing));
    }

    public void Dispose() => _dir.Dispose();
}
