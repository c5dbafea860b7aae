using System.Text.RegularExpressions;

namespace Lameduck.Cli.Lint.Model;

/// <summary>Small helpers for reading commands written in manifests.</summary>
internal static partial class ShellWords
{
    /// <summary>The shells a preStop or entrypoint may run scripts with.</summary>
    public static readonly IReadOnlySet<string> Shells = new HashSet<string>(StringComparer.Ordinal)
    {
        "sh", "bash", "ash", "dash", "zsh", "ksh",
    };

    /// <summary>The file name of a command path: <c>/usr/sbin/nginx</c> gives <c>nginx</c>.</summary>
    public static string BaseName(string command) => command[(command.LastIndexOf('/') + 1)..].Trim();

    /// <summary>True when argv runs a shell script (<c>sh -c ...</c>, <c>/bin/bash -c ...</c>).</summary>
    public static bool IsShell(IReadOnlyList<string> argv) => argv.Count > 0 && Shells.Contains(BaseName(argv[0]));

    /// <summary>True when a shell script replaces itself with a command (<c>exec nginx ...</c>), so signals reach that command.</summary>
    public static bool ExecsIntoCommand(string script) => ExecAtCommandStart().IsMatch(script);

    [GeneratedRegex(@"(^|[;&|\n(]\s*)exec\s")]
    private static partial Regex ExecAtCommandStart();
}
