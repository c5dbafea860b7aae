namespace Lameduck.Cli.Inject.Edits;

/// <summary>RFC 6901 JSON Pointers: <c>/metadata/annotations/lameduck.dev~1status</c>.</summary>
internal static class JsonPointer
{
    /// <summary><paramref name="parent"/> followed by the reference token <paramref name="key"/>, escaped.</summary>
    public static string Append(string parent, string key) =>
        parent + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>The pointer made of <paramref name="keys"/>.</summary>
    public static string Of(IEnumerable<string> keys) => keys.Aggregate("", Append);
}
