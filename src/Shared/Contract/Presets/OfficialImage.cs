namespace Lameduck.Contract.Presets;

/// <summary>
/// How an official image runs its server when a pod spec leaves everything to the image: its Dockerfile's
/// <c>ENTRYPOINT</c> and <c>CMD</c> (a pod's <c>command</c> replaces the first, <c>args</c> the second), its
/// <c>STOPSIGNAL</c> (what the kubelet sends), and the configuration defaults that matter for shutdown.
/// </summary>
/// <param name="DockerHubRepository">e.g. <c>library/nginx</c>, <c>nginxinc/nginx-unprivileged</c>.</param>
/// <param name="TagContains">Only tags containing this (<c>fpm</c>, <c>apache</c>); null for every tag.</param>
/// <param name="Entrypoint">The image's ENTRYPOINT (empty when it has none).</param>
/// <param name="Command">The image's CMD.</param>
/// <param name="StopSignal">The image's STOPSIGNAL (Linux number).</param>
/// <param name="StopSignalSince">The first version (read from the tag) whose image declares <paramref name="StopSignal"/>; older ones stop with SIGTERM. Null when every tag in use declares it.</param>
/// <param name="StopSignalHistory">Where the STOPSIGNAL came from and when, for messages and docs.</param>
/// <param name="CheckedAgainst">The image versions this record was taken from.</param>
/// <param name="Defaults">The shutdown-relevant defaults of the image's configuration.</param>
internal sealed record OfficialImage(
    string DockerHubRepository,
    string? TagContains,
    string[] Entrypoint,
    string[] Command,
    int StopSignal,
    Version? StopSignalSince,
    string StopSignalHistory,
    string CheckedAgainst,
    ImageDefault[] Defaults)
{
    /// <summary>ENTRYPOINT followed by CMD: the process the image starts when the pod spec sets neither.</summary>
    public string[] StartCommand => [.. Entrypoint, .. Command];

    /// <summary>True when <paramref name="image"/> is this official image (through a mirror too) and its tag matches.</summary>
    public bool Matches(ImageReference image) =>
        image.DockerHubRepository == DockerHubRepository && (TagContains is null || image.Tag.Contains(TagContains, StringComparison.Ordinal));

    /// <summary>
    /// The stop signal an image of this repository with <paramref name="tag"/> declares: <see cref="StopSignal"/>, or
    /// SIGTERM when the tag names a version older than <see cref="StopSignalSince"/>. Tags without a version
    /// (<c>latest</c>, <c>alpine</c>, <c>stable</c>) and digests are today's images.
    /// </summary>
    public int StopSignalFor(string tag) =>
        StopSignalSince is { } since && TagVersion(tag) is { } version && version < since ? Signals.SignalTable.SIGTERM : StopSignal;

    /// <summary>
    /// The version a tag names: <c>1.27.3-alpine</c> → 1.27.3; a series tag names its newest release, so
    /// <c>8.2-fpm</c> → 8.2.∞ and <c>1.19</c> → 1.19.∞; <c>1</c>, <c>latest</c>, <c>alpine</c> → null (today's image).
    /// </summary>
    public static Version? TagVersion(string tag)
    {
        int end = 0;
        while (end < tag.Length && (char.IsAsciiDigit(tag[end]) || tag[end] == '.')) end++;
        var text = tag[..end].TrimEnd('.');
        if (!text.Contains('.') || !Version.TryParse(text, out var version)) return null;
        return version.Build < 0 ? new Version(version.Major, version.Minor, int.MaxValue) : version;
    }
}

/// <summary>A configuration default of an official image that decides how its server shuts down.</summary>
/// <param name="Setting">e.g. <c>process_control_timeout</c>.</param>
/// <param name="Value">The image's value, e.g. <c>0</c> (unset, the server's default).</param>
/// <param name="Where">Where it is (not) set, e.g. <c>/usr/local/etc/php-fpm.d/*.conf</c>.</param>
/// <param name="Consequence">What it does to a shutdown.</param>
internal sealed record ImageDefault(string Setting, string Value, string Where, string Consequence);
