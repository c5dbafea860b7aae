namespace Lameduck.Contract.Presets;

/// <summary>
/// An image reference split the way the container runtime reads it:
/// <c>[registry/]repository[:tag][@digest]</c>, with Docker Hub's implicit <c>docker.io/library/</c>.
/// </summary>
/// <param name="Registry">e.g. <c>docker.io</c>, <c>gcr.io</c>, <c>cgr.dev</c>.</param>
/// <param name="Repository">e.g. <c>nginx</c> (official images), <c>distroless/static-debian12</c>.</param>
/// <param name="Tag">e.g. <c>1.27-alpine</c>; <c>latest</c> when neither tag nor digest is given; empty with a digest only.</param>
/// <example><c>ImageReference.Parse("public.ecr.aws/docker/library/nginx:1.27").OfficialName</c> is <c>nginx</c>.</example>
internal sealed record ImageReference(string Registry, string Repository, string Tag)
{
    /// <summary>The last path segment of the repository: <c>nginx</c>, <c>static-debian12</c>.</summary>
    public string Name => Repository[(Repository.LastIndexOf('/') + 1)..];

    /// <summary>True for Docker Hub's official images (<c>nginx</c>, <c>docker.io/library/nginx</c>).</summary>
    public bool IsDockerOfficial => Registry == "docker.io" && !Repository.Contains('/');

    /// <summary>
    /// The Docker Hub repository this image is, also when it is pulled through a mirror or a pull-through cache that
    /// keeps Docker Hub's path (<c>mirror.gcr.io/library/nginx</c>, <c>public.ecr.aws/docker/library/nginx</c>,
    /// <c>harbor.example/dockerhub/library/nginx</c>, <c>cache.example/docker.io/nginxinc/nginx-unprivileged</c>):
    /// <c>library/nginx</c>, <c>nginxinc/nginx-unprivileged</c>.
    /// Null for an image that is not known to come from Docker Hub.
    /// </summary>
    public string? DockerHubRepository
    {
        get
        {
            if (Registry == "docker.io") return Repository.Contains('/') ? Repository : "library/" + Repository;
            int library = Repository.LastIndexOf("library/", StringComparison.Ordinal);
            if (library >= 0 && (library == 0 || Repository[library - 1] == '/') && !Repository[(library + 8)..].Contains('/'))
                return Repository[library..];
            // Pull-through caches that name the upstream registry in the path: <host>/docker.io/nginxinc/nginx-unprivileged,
            // <host>/dockerhub/bitnami/nginx (Harbor proxy projects, Artifactory remotes, Nexus docker proxies).
            var segments = Repository.Split('/');
            for (int i = 0; i < segments.Length - 1; i++)
            {
                if (Array.IndexOf(DockerHubPathNames, segments[i]) < 0) continue;
                var rest = segments[(i + 1)..];
                if (rest.Length == 1) return "library/" + rest[0];
                if (rest.Length == 2) return string.Join('/', rest);
            }
            return null;
        }
    }

    /// <summary>Path segments with which pull-through caches name Docker Hub as the upstream of what follows.</summary>
    private static readonly string[] DockerHubPathNames = ["docker.io", "dockerhub", "docker-hub", "hub.docker.com", "index.docker.io", "registry-1.docker.io"];

    /// <summary>Registry and repository: <c>gcr.io/distroless/static</c>.</summary>
    public string FullName => $"{Registry}/{Repository}";

    /// <summary>Parses an image string; never throws (odd input gives an odd but harmless name).</summary>
    public static ImageReference Parse(string image)
    {
        var rest = image.Trim();
        int at = rest.IndexOf('@');
        bool hasDigest = at >= 0;
        if (hasDigest) rest = rest[..at];

        var registry = "docker.io";
        int slash = rest.IndexOf('/');
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                registry = first is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? "docker.io" : first;
                rest = rest[(slash + 1)..];
            }
        }

        var tag = hasDigest ? "" : "latest";
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }
        if (registry == "docker.io" && rest.StartsWith("library/", StringComparison.Ordinal)) rest = rest["library/".Length..];
        return new ImageReference(registry, rest, tag);
    }
}
