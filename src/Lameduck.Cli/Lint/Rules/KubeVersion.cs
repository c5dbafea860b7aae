using System.Globalization;

namespace Lameduck.Cli.Lint.Rules;

/// <summary>The Kubernetes version the manifests target (<c>--kube-version</c>); it decides which fixes are available.</summary>
internal readonly record struct KubeVersion(int Major, int Minor) : IComparable<KubeVersion>
{
    /// <summary>The version assumed when none is given.</summary>
    public static readonly KubeVersion Default = new(1, 30);

    /// <summary>The native preStop <c>sleep</c> action is on by default from 1.30 (beta; alpha in 1.29).</summary>
    public static readonly KubeVersion NativeSleepAction = new(1, 30);

    /// <summary><c>lifecycle.stopSignal</c> exists from 1.33 (alpha, feature gate ContainerStopSignals).</summary>
    public static readonly KubeVersion StopSignalField = new(1, 33);

    /// <summary>Parses <c>1.30</c>, <c>v1.30</c> or <c>1.30.2</c>.</summary>
    public static bool TryParse(string text, out KubeVersion version)
    {
        version = default;
        var parts = text.Trim().TrimStart('v', 'V').Split('.');
        if (parts.Length is < 2 or > 3) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        if (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
        version = new KubeVersion(major, minor);
        return true;
    }

    public int CompareTo(KubeVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator >=(KubeVersion a, KubeVersion b) => a.CompareTo(b) >= 0;

    public static bool operator <=(KubeVersion a, KubeVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >(KubeVersion a, KubeVersion b) => a.CompareTo(b) > 0;

    public static bool operator <(KubeVersion a, KubeVersion b) => a.CompareTo(b) < 0;

    public override string ToString() => $"{Major}.{Minor}";
}
