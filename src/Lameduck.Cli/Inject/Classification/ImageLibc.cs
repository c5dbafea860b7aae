using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Presets;

namespace Lameduck.Cli.Inject.Classification;

/// <summary>The C library an image provides, which decides whether lameduck-init (a NativeAOT binary linked against glibc) runs in it.</summary>
internal enum Libc
{
    /// <summary>glibc: Debian, Ubuntu, RHEL-family, distroless base/cc, chiseled .NET, Wolfi; assumed for images inject does not know.</summary>
    Glibc,

    /// <summary>musl: Alpine-based images; they have busybox (and its <c>sleep</c>).</summary>
    Musl,

    /// <summary>None: scratch and static images carry one static binary and nothing else.</summary>
    None,
}

/// <summary>Tells <see cref="Libc"/> from the image's name.</summary>
internal static class ImageLibc
{
    /// <summary>The C library <paramref name="image"/> provides, going by its name.</summary>
    public static Libc Of(ImageReference image)
    {
        if (image.Repository.Contains("alpine", StringComparison.OrdinalIgnoreCase) || image.Tag.Contains("alpine", StringComparison.OrdinalIgnoreCase)) return Libc.Musl;
        if (image.IsDockerOfficial && image.Name == "scratch") return Libc.None;
        if (image.Registry == "gcr.io" && image.Repository.StartsWith("distroless/static", StringComparison.Ordinal)) return Libc.None;
        if (image.Name == "static" || image.Tag.StartsWith("static", StringComparison.Ordinal)) return Libc.None;
        return Libc.Glibc;
    }
}
