using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Inject.Classification;

/// <summary>
/// How the official server images start their server when the pod spec does not say (Dockerfile ENTRYPOINT and
/// CMD). Kubernetes' <c>command</c> replaces ENTRYPOINT and <c>args</c> replaces CMD, so wrapping a server in
/// lameduck-init (which takes the container's <c>command</c>) must put them back by hand.
/// </summary>
/// <remarks>
/// Read from the Dockerfiles (2026-11): docker-library/nginx's Debian template and nginx 1.21–1.27 (mainline/debian);
/// docker-library/php 8.3 bookworm fpm and apache; docker-library/httpd 2.4; docker-library/haproxy 3.2.
/// nginxinc/nginx-unprivileged is built from the same Dockerfiles as nginx. The same families' STOPSIGNALs are in
/// lint's KnownImages.
/// </remarks>
internal static class OfficialImages
{
    /// <summary>An image family's ENTRYPOINT (empty when none) and CMD.</summary>
    public sealed record StartCommand(string Images, IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd);

    private static readonly (Func<ImageReference, bool> Matches, StartCommand Start)[] Table =
    [
        (i => (i.IsDockerOfficial && i.Name == "nginx") || (i.Registry == "docker.io" && i.Repository == "nginxinc/nginx-unprivileged"),
            new("nginx (official)", ["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"])),
        (i => i.IsDockerOfficial && i.Name == "php" && i.Tag.Contains("fpm", StringComparison.Ordinal),
            new("php:*-fpm (official)", ["docker-php-entrypoint"], ["php-fpm"])),
        (i => i.IsDockerOfficial && i.Name == "php" && i.Tag.Contains("apache", StringComparison.Ordinal),
            new("php:*-apache (official)", ["docker-php-entrypoint"], ["apache2-foreground"])),
        (i => i.IsDockerOfficial && i.Name == "httpd",
            new("httpd (official)", [], ["httpd-foreground"])),
        (i => i.IsDockerOfficial && i.Name == "haproxy",
            new("haproxy (official)", ["docker-entrypoint.sh"], ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"])),
    ];

    /// <summary>The start command of <paramref name="image"/>, or null when inject does not know the image.</summary>
    public static StartCommand? Of(ImageReference image) => Table.FirstOrDefault(t => t.Matches(image)).Start;
}
