using Lameduck.Contract.Init;
using Lameduck.Contract.Presets;
using Lameduck.Contract.Signals;
using Lameduck.Init.Tests.Support;

namespace Lameduck.Init.Tests;

/// <summary>
/// The preset is guessed from the command as the official images start their server (ENTRYPOINT + CMD, see
/// the shutdown contract's ServerPresets), not only from a bare binary name.
/// </summary>
public sealed class PresetGuessTests
{
    public static TheoryData<string[], string> OfficialImages => new()
    {
        // nginx and nginxinc/nginx-unprivileged: ENTRYPOINT ["/docker-entrypoint.sh"] CMD ["nginx", "-g", "daemon off;"]
        { ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], "nginx" },
        { ["/docker-entrypoint.sh", "nginx-debug", "-g", "daemon off;"], "nginx" },
        // php:*-fpm: ENTRYPOINT ["docker-php-entrypoint"] CMD ["php-fpm"]
        { ["docker-php-entrypoint", "php-fpm"], "php-fpm" },
        // php:*-apache: ENTRYPOINT ["docker-php-entrypoint"] CMD ["apache2-foreground"]
        { ["docker-php-entrypoint", "apache2-foreground"], "apache" },
        // an image's CMD alone (command: replaced, args: kept)
        { ["apache2-foreground"], "apache" },
        // httpd: CMD ["httpd-foreground"]
        { ["httpd-foreground"], "apache" },
        // haproxy: ENTRYPOINT ["docker-entrypoint.sh"] CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
        { ["docker-entrypoint.sh", "haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"], "haproxy" },
        // bare binaries, as before
        { ["/usr/sbin/nginx", "-g", "daemon off;"], "nginx" },
        { ["php-fpm8.2", "-F"], "php-fpm" },
        { ["httpd", "-DFOREGROUND"], "apache" },
    };

    [Theory]
    [MemberData(nameof(OfficialImages))]
    public void The_official_images_start_commands_pick_their_preset(string[] command, string preset)
    {
        var options = InitSettings.Parse(["--", .. command], _ => null);

        Assert.Equal(preset, options.Preset?.Name);
        Assert.True(options.PresetGuessed);
    }

    [Theory]
    [InlineData("docker-php-entrypoint", "-F")]   // a flag: the image prepends php-fpm, apache2-foreground or php; unknown here
    [InlineData("docker-entrypoint.sh", "-f")]    // the same name starts postgres, redis, mysql ... as well as haproxy
    [InlineData("docker-entrypoint.sh", "postgres")]
    [InlineData("/docker-entrypoint.sh")]
    [InlineData("python3", "nginx.py")]           // only the program (or the entrypoint's next word) is looked at
    public void Nothing_is_guessed_when_the_command_does_not_say(params string[] command) =>
        Assert.Null(ServerPresets.Guess(command));

    [Fact]
    public void The_guess_through_an_entrypoint_script_sets_the_stop_signal_the_app_gets()
    {
        // docker-php-entrypoint (the php image's, which execs "$@") starting "php-fpm" (here the signal recorder).
        using var recorder = new SignalRecorder(exitOn: "QUIT");
        using var bin = new TempDirectory();
        var entrypoint = bin.Write("docker-php-entrypoint", "#!/bin/sh\nset -e\nexec \"$@\"\n");
        File.SetUnixFileMode(entrypoint, (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(bin.File("php-fpm"), recorder.Script);
        using var run = SupervisedRun.Init(["--delay", "0s", "--", entrypoint, bin.File("php-fpm"), .. recorder.Command[1..]]);
        recorder.WaitUntilReady();
        Assert.Contains("preset php-fpm (guessed from the command), stop signal SIGQUIT", run.WaitForLine(" start: "));

        run.Signal(SignalTable.SIGTERM);

        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(["QUIT"], recorder.Received);
    }
}
