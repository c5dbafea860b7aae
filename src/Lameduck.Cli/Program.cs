using System.CommandLine;

namespace Lameduck.Cli;

/// <summary>Entry point of the <c>lameduck</c> tool: one subcommand per folder (verify, lab, lint).</summary>
public static class Program
{
    /// <summary>Builds the root command; tests call this to run the CLI in-process.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("lameduck: prove and keep rolling updates free of dropped requests.");
        root.Subcommands.Add(Lint.LintCommand.Create());
        return root;
    }

    /// <summary>Runs the CLI.</summary>
    public static int Main(string[] args) => BuildRootCommand().Parse(args).Invoke();
}
