using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Lint.Knowledge;

/// <summary>
/// THE one place for what the linter knows about images. Kubernetes stops a container with the stop
/// signal declared in its image (Dockerfile <c>STOPSIGNAL</c>), so an image that already declares its
/// server's graceful signal needs no preStop or wrapper; and an image with no shell cannot run an
/// <c>exec</c> preStop that needs one. Update this table (and docs/lint.md) when images change.
/// </summary>
internal static class KnownImages
{
    /// <summary>Images known to declare a graceful <c>STOPSIGNAL</c>: (which images, signal, evidence).</summary>
    public static readonly IReadOnlyList<(string Images, Func<ImageReference, bool> Matches, string StopSignal, string Evidence)> StopSignals =
    [
        ("nginx (Docker official image)", i => i.IsDockerOfficial && i.Name == "nginx", "QUIT",
            "docker-library/nginx Dockerfiles declare STOPSIGNAL SIGQUIT (since 2020, nginx 1.19)"),
        ("nginxinc/nginx-unprivileged", i => i.Registry == "docker.io" && i.Repository == "nginxinc/nginx-unprivileged", "QUIT",
            "built from the official nginx Dockerfiles, STOPSIGNAL SIGQUIT"),
        ("php:*-fpm* (Docker official image)", i => i.IsDockerOfficial && i.Name == "php" && i.Tag.Contains("fpm", StringComparison.Ordinal), "QUIT",
            "docker-library/php fpm variants declare STOPSIGNAL SIGQUIT"),
        ("php:*-apache* (Docker official image)", i => i.IsDockerOfficial && i.Name == "php" && i.Tag.Contains("apache", StringComparison.Ordinal), "WINCH",
            "docker-library/php apache variants declare STOPSIGNAL SIGWINCH (Apache graceful-stop)"),
        ("httpd (Docker official image)", i => i.IsDockerOfficial && i.Name == "httpd", "WINCH",
            "docker-library/httpd declares STOPSIGNAL SIGWINCH (Apache graceful-stop)"),
        ("haproxy (Docker official image)", i => i.IsDockerOfficial && i.Name == "haproxy", "USR1",
            "docker-library/haproxy declares STOPSIGNAL SIGUSR1 (HAProxy soft-stop)"),
    ];

    /// <summary>The graceful stop signal the image declares, or null when the linter does not know one.</summary>
    public static string? StopSignalOf(ImageReference image) =>
        StopSignals.FirstOrDefault(s => s.Matches(image)).StopSignal;

    /// <summary>
    /// Why the image has no shell (and no coreutils such as <c>sleep</c>), or null when it probably has one.
    /// Known families first, then name heuristics: a repository or tag saying distroless, chiseled or static.
    /// Debug/dev variants (<c>gcr.io/distroless/*:debug</c>, <c>cgr.dev/chainguard/*:latest-dev</c>) ship busybox or a shell.
    /// </summary>
    public static string? ShellLessReason(ImageReference image)
    {
        var tag = image.Tag;
        if (image.IsDockerOfficial && image.Name == "scratch") return "scratch is empty";
        if (image.Registry == "gcr.io" && image.Repository.StartsWith("distroless/", StringComparison.Ordinal))
        {
            return tag.Contains("debug", StringComparison.Ordinal) ? null : "distroless images have no shell; only their :debug tags add busybox";
        }
        if (image.Registry == "cgr.dev" && image.Repository.StartsWith("chainguard/", StringComparison.Ordinal))
        {
            if (image.Name is "wolfi-base" or "busybox" or "bash" or "git" || tag.Contains("-dev", StringComparison.Ordinal) || tag == "dev") return null;
            return "Chainguard images have no shell except their -dev variants";
        }
        if (image.Registry == "mcr.microsoft.com" && (tag.Contains("chiseled", StringComparison.Ordinal) || tag.Contains("distroless", StringComparison.Ordinal)))
        {
            return "Microsoft's chiseled and distroless .NET images have no shell";
        }
        foreach (var word in new[] { "distroless", "chiseled", "chiselled" })
        {
            if (image.Repository.Contains(word, StringComparison.OrdinalIgnoreCase) || tag.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return $"the image's name says '{word}', and such images have no shell";
            }
        }
        if (image.Name == "static" || tag.StartsWith("static", StringComparison.Ordinal))
        {
            return "static images carry a single binary and no shell";
        }
        return null;
    }
}
