namespace Lameduck.Cli.Lint.Knowledge;

/// <summary>Signal names as manifests and shell commands spell them (<c>SIGQUIT</c>, <c>QUIT</c>, <c>3</c>).</summary>
internal static class Signals
{
    // Linux x86-64/arm64 numbers of the signals that matter for stopping servers.
    private static readonly Dictionary<string, string> ByNumber = new(StringComparer.Ordinal)
    {
        ["1"] = "HUP", ["2"] = "INT", ["3"] = "QUIT", ["9"] = "KILL", ["10"] = "USR1",
        ["12"] = "USR2", ["15"] = "TERM", ["28"] = "WINCH",
    };

    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM", "WINCH", "STOP", "CONT", "ALRM", "PIPE", "CHLD",
    };

    /// <summary>The bare upper-case name (<c>QUIT</c>), or null when the text is not a known signal.</summary>
    public static string? Normalize(string text)
    {
        var s = text.Trim().ToUpperInvariant();
        if (ByNumber.TryGetValue(s, out var byNumber)) return byNumber;
        if (s.StartsWith("SIG", StringComparison.Ordinal)) s = s[3..];
        return Names.Contains(s) ? s : null;
    }
}
