using System.Text.RegularExpressions;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Knowledge;

/// <summary>A server that SIGTERM stops abruptly, and the signal that stops it gracefully.</summary>
/// <param name="Name">How messages name it.</param>
/// <param name="GracefulSignal">The signal that drains it: nginx QUIT, php-fpm QUIT, HAProxy USR1, Apache WINCH.</param>
/// <param name="GracefulCommand">A preStop command that sends it, for fixes.</param>
/// <param name="InitPreset">lameduck-init's <c>--preset</c> for it (src/Lameduck.Init/Presets/Preset.cs), which sends that signal.</param>
internal sealed record Server(string Name, string GracefulSignal, string GracefulCommand, string InitPreset);

/// <summary>Recognises nginx, php-fpm, HAProxy and Apache httpd in a container, by command or by image.</summary>
internal static partial class Servers
{
    public static readonly Server Nginx = new("nginx", "QUIT", "nginx -s quit", "nginx");
    public static readonly Server PhpFpm = new("php-fpm", "QUIT", "kill -QUIT 1", "php-fpm");
    public static readonly Server Haproxy = new("HAProxy", "USR1", "kill -USR1 1", "haproxy");
    public static readonly Server Httpd = new("Apache httpd", "WINCH", "apachectl -k graceful-stop", "apache");

    /// <summary>The server the container runs and the node that says so; null when it runs none of them.</summary>
    public static (Server Server, YamlNode Where)? Detect(Container container)
    {
        foreach (var word in container.Argv)
        {
            if (ByCommand(word.Value) is { } server) return (server, word);
        }
        if (container.Image is { } image && container.ImageNode is { } node && ByImage(image) is { } byImage) return (byImage, node);
        return null;
    }

    private static Server? ByCommand(string text)
    {
        foreach (var token in text.Split([' ', '\t', '\n', ';', '&', '|', '(', ')', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            var name = ShellWords.BaseName(token);
            if (name == "nginx") return Nginx;
            if (PhpFpmBinary().IsMatch(name)) return PhpFpm;
            if (name == "haproxy") return Haproxy;
            if (name is "httpd" or "apache2" or "apachectl" or "apache2ctl" or "apache2-foreground" or "httpd-foreground") return Httpd;
        }
        return null;
    }

    private static Server? ByImage(ImageReference image) => image.Name switch
    {
        "nginx" or "nginx-unprivileged" or "openresty" => Nginx,
        "php" when image.Tag.Contains("fpm", StringComparison.Ordinal) => PhpFpm,
        "php" when image.Tag.Contains("apache", StringComparison.Ordinal) => Httpd,
        "haproxy" => Haproxy,
        "httpd" or "apache2" or "apache" => Httpd,
        var n when PhpFpmBinary().IsMatch(n) => PhpFpm,
        _ => null,
    };

    [GeneratedRegex(@"^php(\d+(\.\d+)?)?-fpm(\d+(\.\d+)?)?$")]
    private static partial Regex PhpFpmBinary();
}
