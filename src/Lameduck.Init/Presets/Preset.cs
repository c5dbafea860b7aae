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

    /// <summary>The preset called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static Preset? Find(string name)
    {
        foreach (var preset in All)
            if (string.Equals(preset.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) return preset;
        return null;
    }

    /// <summary>
    /// Guesses the preset from the command's file name: <c>/usr/sbin/nginx</c>, <c>nginx-debug</c>,
    /// <c>php-fpm8.2</c>, <c>haproxy</c>, <c>apache2</c>, <c>httpd</c>, <c>apachectl</c>. Null when nothing fits.
    /// </summary>
    public static Preset? Guess(string command)
    {
        var name = Path.GetFileName(command);
        if (name.StartsWith("nginx", StringComparison.Ordinal)) return Nginx;
        if (name.StartsWith("php-fpm", StringComparison.Ordinal)) return PhpFpm;
        if (name.StartsWith("haproxy", StringComparison.Ordinal)) return Haproxy;
        if (name is "httpd" or "apache2" or "apachectl" or "apache2ctl") return Apache;
        return null;
    }

    public static string NameList => "nginx, php-fpm, haproxy, apache";
}
