using Lameduck.Init.Signals;

namespace Lameduck.Init.Presets;

/// <summary>
/// What lameduck-init knows about an app it cannot change: the signal that stops it gracefully.
/// nginx and php-fpm stop gracefully on QUIT (TERM is their fast stop), HAProxy on USR1 (soft stop),
/// Apache httpd on WINCH (graceful-stop).
/// </summary>
internal sealed record Preset(string Name, int StopSignal)
{
    public static readonly Preset Nginx = new("nginx", SignalNames.SIGQUIT);
    public static readonly Preset PhpFpm = new("php-fpm", SignalNames.SIGQUIT);
    public static readonly Preset Haproxy = new("haproxy", SignalNames.SIGUSR1);
    public static readonly Preset Apache = new("apache", SignalNames.SIGWINCH);

    public static IReadOnlyList<Preset> All { get; } = [Nginx, PhpFpm, Haproxy, Apache];

    /// <summary>
    /// How each server is started, by the program's file name: <c>Prefix</c> names match any name that
    /// starts with them (<c>nginx-debug</c>, Debian's <c>php-fpm8.2</c>). The official images start
    /// them as (ENTRYPOINT + CMD, checked in docker-library/php 8.3 bookworm fpm and apache, nginxinc/docker-nginx
    /// and docker-nginx-unprivileged mainline debian (nginx 1.27), docker-library/haproxy 3.2, docker-library/httpd 2.4):
    /// <code>
    /// nginx, nginxinc/nginx-unprivileged  /docker-entrypoint.sh   nginx -g "daemon off;"
    /// php:*-fpm                           docker-php-entrypoint   php-fpm
    /// php:*-apache                        docker-php-entrypoint   apache2-foreground     (exec apache2 -DFOREGROUND)
    /// httpd                               (none)                  httpd-foreground       (exec httpd -DFOREGROUND)
    /// haproxy                             docker-entrypoint.sh    haproxy -f /usr/local/etc/haproxy/haproxy.cfg
    /// </code>
    /// A later change moves this table into the shared contract source that lint and inject read too.
    /// </summary>
    private static readonly (string Name, bool Prefix, Preset Preset)[] Servers =
    [
        ("nginx", true, Nginx),
        ("php-fpm", true, PhpFpm),
        ("haproxy", true, Haproxy),
        ("httpd", false, Apache),
        ("apache2", false, Apache),
        ("apachectl", false, Apache),
        ("apache2ctl", false, Apache),
        ("httpd-foreground", false, Apache),
        ("apache2-foreground", false, Apache),
    ];

    /// <summary>
    /// Entrypoint scripts of the official images that run setup and then <c>exec "$@"</c>: the server is the next
    /// argument. When that argument is a flag the scripts prepend the image's own server (php-fpm, apache2-foreground
    /// or php; haproxy), which the command line alone cannot tell apart, so nothing is guessed then.
    /// </summary>
    private static readonly string[] Entrypoints = ["docker-entrypoint.sh", "docker-php-entrypoint"];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static Preset? Find(string name)
    {
        foreach (var preset in All)
            if (string.Equals(preset.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) return preset;
        return null;
    }

    /// <summary>
    /// Guesses the preset from the command line: the program's file name (<c>/usr/sbin/nginx</c>, <c>php-fpm8.2</c>,
    /// <c>httpd-foreground</c>), or, after an official image's entrypoint script, the next argument's
    /// (<c>/docker-entrypoint.sh nginx -g "daemon off;"</c>, <c>docker-php-entrypoint php-fpm</c>). Null when nothing fits.
    /// </summary>
    /// <example><c>Preset.Guess(["docker-php-entrypoint", "apache2-foreground"]) == Preset.Apache</c></example>
    public static Preset? Guess(IReadOnlyList<string> command)
    {
        if (command.Count == 0) return null;
        var name = Path.GetFileName(command[0]);
        if (Array.IndexOf(Entrypoints, name) >= 0)
        {
            if (command.Count < 2) return null;
            name = Path.GetFileName(command[1]);
        }
        foreach (var (server, prefix, preset) in Servers)
            if (prefix ? name.StartsWith(server, StringComparison.Ordinal) : name == server) return preset;
        return null;
    }

    public static string NameList => "nginx, php-fpm, haproxy, apache";
}
