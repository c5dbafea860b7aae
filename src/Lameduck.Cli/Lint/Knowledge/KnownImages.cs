using Lameduck.Contract.Presets;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Lint.Knowledge;

/// <summary>
/// What the linter knows about images. Kubernetes stops a container with the stop signal declared in its image
/// (Dockerfile <c>STOPSIGNAL</c>), so an image that already declares its server's graceful signal needs no preStop
/// or wrapper: the official images' signals are the shutdown contract's (<see cref="ServerPresets"/>). An image with
/// no shell cannot run an <c>exec</c> preStop that needs one: which images have none is lint's own knowledge here.
/// </summary>
internal static class KnownImages
{
    /// <summary>
    /// The stop signal the image declares, when the linter knows the image: an official image of a preset server
    /// (through a mirror too), read from the shutdown contract, with its tag's version. Null for other images.
    /// </summary>
    public static string? StopSignalOf(ImageReference image) =>
        ServerPresets.OfficialImageOf(image) is var (_, official) ? SignalTable.ShortName(official.StopSignalFor(image.Tag)) : null;

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
