using System.Text;
using System.Text.RegularExpressions;

namespace Lameduck.Cli.Lint.Input;

/// <summary>
/// The <c>--exclude</c> globs: <c>*</c> matches within one path segment, <c>**</c> across segments, <c>?</c> one
/// character. A glob without <c>/</c> matches a file name or any folder name on the path (<c>vendor</c>,
/// <c>*.tpl.yaml</c>); one with <c>/</c> matches the path from its start or from any folder boundary
/// (<c>charts/*/templates/**</c>), as .gitignore-style tools do. Paths are compared with <c>/</c> separators and
/// without a leading <c>./</c>.
/// </summary>
/// <example><c>new PathFilter(["vendor", "**/crds/*.yaml"]).Matches("deploy/crds/a.yaml")</c> is true.</example>
internal sealed class PathFilter
{
    private readonly List<Regex> _patterns;

    /// <summary>Compiles <paramref name="globs"/>; empty entries are ignored.</summary>
    public PathFilter(IEnumerable<string> globs)
    {
        Globs = [.. globs.Select(g => g.Trim()).Where(g => g.Length > 0)];
        _patterns = [.. Globs.Select(Compile)];
    }

    /// <summary>The globs as given.</summary>
    public IReadOnlyList<string> Globs { get; }

    /// <summary>True when <paramref name="path"/> (as the user or the folder walk spelt it) is excluded.</summary>
    public bool Matches(string path)
    {
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal)) normalized = normalized[2..];
        return _patterns.Any(p => p.IsMatch(normalized));
    }

    private static Regex Compile(string glob)
    {
        var body = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                i++;
                if (i + 1 < glob.Length && glob[i + 1] == '/') { i++; body.Append("(?:.*/)?"); }
                else body.Append(".*");
            }
            else if (c == '*') body.Append("[^/]*");
            else if (c == '?') body.Append("[^/]");
            else body.Append(Regex.Escape(c.ToString()));
        }
        var pattern = body.ToString().TrimEnd('/');
        // A match may start at the beginning or after any '/', and ends at the end or before a '/' (a folder).
        return new Regex($"(?:^|/){pattern}(?:/|$)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
