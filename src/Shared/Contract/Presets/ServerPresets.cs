using Lameduck.Contract.Signals;

namespace Lameduck.Contract.Presets;

/// <summary>
/// THE server knowledge of Lameduck: the four servers lameduck-init has presets for, how to recognise each from a
/// command line (its program names, behind the official images' entrypoint scripts) and from an image (the
/// official images, through mirrors, with their start command, STOPSIGNAL and shutdown defaults).
/// lameduck-init guesses its preset with it, lint judges containers with it, inject wraps servers with it.
/// </summary>
/// <remarks>
/// Checked against (ENTRYPOINT, CMD, STOPSIGNAL, configuration): nginx 1.27 mainline bookworm (docker-library/nginx
/// via nginxinc/docker-nginx) and nginxinc/nginx-unprivileged 1.27; php 8.3 bookworm fpm and apache
/// (docker-library/php); httpd 2.4 (docker-library/httpd); haproxy 3.2 (docker-library/haproxy).
/// Update this table and docs/lint.md when the images change.
/// </remarks>
/// <example>
/// <code>
/// ServerPresets.Guess(["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]) // nginx
/// ServerPresets.OfficialImageOf(ImageReference.Parse("php:8.3-fpm"))          // (php-fpm, its image record)
/// </code>
/// </example>
internal static class ServerPresets
{
    public static readonly ServerPreset Nginx = new("nginx", "nginx", SignalTable.SIGQUIT, "nginx -s quit",
    [
        new("library/nginx", null, ["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"], SignalTable.SIGQUIT, new Version(1, 19, 5),
            "STOPSIGNAL SIGQUIT since nginxinc/docker-nginx commit 3fb70dd (2020-11-24, first release 1.19.5); older tags stop with SIGTERM",
            "nginx:1.27 (bookworm, alpine)",
            [
                new("keepalive_timeout", "65s", "/etc/nginx/nginx.conf",
                    "idle keep-alive connections are closed only when nginx stops; clients reconnect after the close"),
                new("worker_shutdown_timeout", "unset", "/etc/nginx/nginx.conf",
                    "a graceful stop waits for every open connection, WebSockets included, until SIGKILL"),
            ]),
        new("nginxinc/nginx-unprivileged", null, ["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"], SignalTable.SIGQUIT, new Version(1, 19, 5),
            "built from the same Dockerfiles as the official nginx image (STOPSIGNAL SIGQUIT since 1.19.5)",
            "nginxinc/nginx-unprivileged:1.27",
            [
                new("worker_shutdown_timeout", "unset", "/etc/nginx/nginx.conf",
                    "a graceful stop waits for every open connection, WebSockets included, until SIGKILL"),
            ]),
    ]);

    public static readonly ServerPreset PhpFpm = new("php-fpm", "php-fpm", SignalTable.SIGQUIT, "kill -QUIT 1",
    [
        new("library/php", "fpm", ["docker-php-entrypoint"], ["php-fpm"], SignalTable.SIGQUIT, new Version(7, 1),
            "STOPSIGNAL SIGQUIT since docker-library/php#816 (2019-04, PHP 7.1 and later); 7.0 and older stop with SIGTERM",
            "php:8.3-fpm (bookworm, alpine)",
            [
                new("process_control_timeout", "0 (unset)", "/usr/local/etc/php-fpm.conf, /usr/local/etc/php-fpm.d/*.conf",
                    "on QUIT the master does not wait for its workers: requests in flight are cut"),
            ]),
    ]);

    public static readonly ServerPreset Haproxy = new("haproxy", "HAProxy", SignalTable.SIGUSR1, "kill -USR1 1",
    [
        new("library/haproxy", null, ["docker-entrypoint.sh"], ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"], SignalTable.SIGUSR1, null,
            "STOPSIGNAL SIGUSR1 (soft-stop) in every tag of the maintained series",
            "haproxy:3.2 (bookworm, alpine)",
            [
                new("hard-stop-after", "unset", "/usr/local/etc/haproxy/haproxy.cfg (the user's own)",
                    "a soft stop waits for every open connection until SIGKILL"),
            ]),
    ]);

    public static readonly ServerPreset Apache = new("apache", "Apache httpd", SignalTable.SIGWINCH, "apachectl -k graceful-stop",
    [
        new("library/httpd", null, [], ["httpd-foreground"], SignalTable.SIGWINCH, null,
            "STOPSIGNAL SIGWINCH (graceful-stop) in every tag of the maintained 2.4 series",
            "httpd:2.4 (bookworm, alpine)",
            [
                new("GracefulShutdownTimeout", "0 (unset)", "/usr/local/apache2/conf/httpd.conf",
                    "a graceful stop waits for every open connection until SIGKILL"),
            ]),
        new("library/php", "apache", ["docker-php-entrypoint"], ["apache2-foreground"], SignalTable.SIGWINCH, new Version(7, 1),
            "STOPSIGNAL SIGWINCH since docker-library/php commit 9e50ad0 (2019-08, PHP 7.1 and later)",
            "php:8.3-apache (bookworm)",
            [
                new("GracefulShutdownTimeout", "0 (unset)", "/etc/apache2/apache2.conf",
                    "a graceful stop waits for every open connection until SIGKILL"),
            ]),
    ]);

    /// <summary>Every preset, in the order <c>--help</c> lists them.</summary>
    public static readonly ServerPreset[] All = [Nginx, PhpFpm, Haproxy, Apache];

    /// <summary><c>nginx, php-fpm, haproxy, apache</c>.</summary>
    public const string NameList = "nginx, php-fpm, haproxy, apache";

    /// <summary>
    /// Entrypoint scripts of the official images that run their setup and then <c>exec "$@"</c>: the server is the
    /// next word. (When that word is a flag the scripts prepend the image's own server, which a command line alone
    /// cannot tell apart, so nothing is recognised then.)
    /// </summary>
    private static readonly string[] EntrypointScripts = ["docker-entrypoint.sh", "docker-php-entrypoint"];

    /// <summary>
    /// Programs that start and manage other processes: inits (<c>tini</c>, <c>dumb-init</c>, <c>catatonit</c>,
    /// lameduck-init, s6-overlay's <c>/init</c>) and supervisors (<c>supervisord</c>, <c>runsvdir</c>, <c>s6-svscan</c>,
    /// <c>circusd</c>). As a pod's command they replace the image's ENTRYPOINT but still run the image's server.
    /// </summary>
    public static readonly string[] ProcessManagers =
        ["tini", "tini-static", "dumb-init", "catatonit", "lameduck-init", "init", "supervisord", "runsvdir", "s6-svscan", "circusd"];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive, surrounding spaces ignored), or null.</summary>
    public static ServerPreset? Find(string name)
    {
        foreach (var preset in All)
            if (string.Equals(preset.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) return preset;
        return null;
    }

    /// <summary>
    /// The server a program starts, by its file name: <c>nginx</c>, <c>nginx-debug</c>, <c>openresty</c>;
    /// <c>php-fpm</c>, <c>php-fpm8.2</c> (Debian), <c>php8.2-fpm</c>; <c>haproxy</c>; <c>httpd</c>, <c>apache2</c>,
    /// <c>apachectl</c>, <c>apache2ctl</c>, <c>httpd-foreground</c>, <c>apache2-foreground</c> (the official
    /// images' scripts that <c>exec httpd -DFOREGROUND</c>). Null for anything else.
    /// </summary>
    public static ServerPreset? ForProgram(string program)
    {
        var name = BaseName(program);
        return name switch
        {
            "nginx" or "nginx-debug" or "openresty" => Nginx,
            "haproxy" => Haproxy,
            "httpd" or "apache2" or "apachectl" or "apache2ctl" or "httpd-foreground" or "apache2-foreground" => Apache,
            _ => IsPhpFpm(name) ? PhpFpm : null,
        };
    }

    /// <summary>
    /// True when <paramref name="program"/> (a path or a process's <c>/proc/PID/comm</c>) is <paramref name="preset"/>'s
    /// own binary, the master that relays its graceful stop signal to its workers, and not a script that starts it
    /// (<c>apachectl</c>, <c>httpd-foreground</c>: a shell, which relays nothing).
    /// </summary>
    public static bool IsServerBinary(string program, ServerPreset preset) =>
        ForProgram(program) == preset && BaseName(program) is not ("apachectl" or "apache2ctl" or "httpd-foreground" or "apache2-foreground");

    /// <summary>
    /// The server a command line starts: its program's (<see cref="ForProgram"/>), or, behind an official image's
    /// entrypoint script, the next word's (<c>/docker-entrypoint.sh nginx -g "daemon off;"</c>,
    /// <c>docker-php-entrypoint php-fpm</c>). Null when nothing fits.
    /// </summary>
    public static ServerPreset? Guess(IReadOnlyList<string> command)
    {
        if (command.Count == 0) return null;
        if (IsEntrypointScript(command[0])) return command.Count > 1 ? ForProgram(command[1]) : null;
        return ForProgram(command[0]);
    }

    /// <summary>True for the official images' entrypoint scripts, which exec the next word.</summary>
    public static bool IsEntrypointScript(string program) => Array.IndexOf(EntrypointScripts, BaseName(program)) >= 0;

    /// <summary>The official image <paramref name="image"/> is (through a mirror too), with its preset; null for any other image.</summary>
    public static (ServerPreset Preset, OfficialImage Image)? OfficialImageOf(ImageReference image)
    {
        foreach (var preset in All)
            foreach (var official in preset.Images)
                if (official.Matches(image)) return (preset, official);
        return null;
    }

    /// <summary>
    /// The server a container of <paramref name="image"/> starts, given the pod spec's <paramref name="command"/> (which
    /// replaces the image's ENTRYPOINT) and <paramref name="args"/> (which replace its CMD): the server the command line
    /// names (<see cref="Guess"/>); else, with the ENTRYPOINT kept, the image's own server when the args are empty or
    /// flags for it. A <c>command</c> that names no server replaces the image's start (<c>sleep infinity</c>, a
    /// custom script): the server may not run at all, so null; so are args that an official image's entrypoint script
    /// runs instead of its server (<c>nginx:1.27</c> with args <c>["sh"]</c>).
    /// </summary>
    public static ServerPreset? StartedBy(ImageReference image, IReadOnlyList<string> command, IReadOnlyList<string> args)
    {
        if (Guess([.. command, .. args]) is { } named) return named;
        // An init or a process supervisor as the command still runs what the image is for (its configuration names it).
        if (command.Count > 0) return Array.IndexOf(ProcessManagers, BaseName(command[0])) >= 0 ? ByImageName(image) : null;
        if (ByImageName(image) is not { } server) return null;
        if (args.Count == 0 || args[0].StartsWith('-')) return server;
        return OfficialImageOf(image) is null ? server : null; // another vendor's entrypoint may still start it
    }

    /// <summary>
    /// The server an image probably ships, judged by its name when it is not an official image
    /// (<c>bitnami/nginx</c>, <c>mycorp/php-fpm</c>, <c>ubuntu/apache2</c>): such images are built by others and
    /// need not declare the graceful STOPSIGNAL. Null when the name says nothing.
    /// </summary>
    public static ServerPreset? ByImageName(ImageReference image)
    {
        if (OfficialImageOf(image) is { } official) return official.Preset;
        var name = image.Name;
        return name switch
        {
            "nginx" or "nginx-unprivileged" or "openresty" => Nginx,
            "php" when image.Tag.Contains("fpm", StringComparison.Ordinal) => PhpFpm,
            "php" when image.Tag.Contains("apache", StringComparison.Ordinal) => Apache,
            "haproxy" => Haproxy,
            "httpd" or "apache2" or "apache" => Apache,
            _ => IsPhpFpm(name) ? PhpFpm : null,
        };
    }

    // php-fpm, php-fpm8.2, php8.2-fpm, php82-fpm: "php", an optional version, "-fpm", an optional version.
    private static bool IsPhpFpm(string name)
    {
        if (!name.StartsWith("php", StringComparison.Ordinal)) return false;
        int fpm = name.IndexOf("-fpm", StringComparison.Ordinal);
        if (fpm < 0) return false;
        return IsVersion(name.AsSpan(3, fpm - 3)) && IsVersion(name.AsSpan(fpm + 4));
    }

    private static bool IsVersion(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!char.IsAsciiDigit(c) && c != '.') return false;
        return true;
    }

    private static string BaseName(string program)
    {
        int slash = program.LastIndexOf('/');
        return slash < 0 ? program : program[(slash + 1)..];
    }
}
