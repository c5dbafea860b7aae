using System.CommandLine;
using Lameduck.Cli.CommandLine;

namespace Lameduck.Cli;

/// <summary>Entry point of the <c>lameduck</c> tool: one subcommand per folder (verify, lab, lint, inject, webhook).</summary>
public static class Program
{
    /// <summary>Builds the root command; tests call this to run the CLI in-process.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("lameduck: prove and keep rolling updates free of dropped requests.");
        root.Subcommands.Add(Verify.VerifyCommand.Create());
        root.Subcommands.Add(Lint.LintCommand.Create());
        root.Subcommands.Add(Inject.InjectCommand.Create());
        root.Subcommands.Add(Webhook.WebhookCommand.Create());

        root.Subcommands.Add(Lab.LabCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse prints its errors and exits 2.
    /// Commands handle Ctrl-C/SIGTERM themselves (Terminal.InterruptSignal) so they can write their reports:
    /// System.CommandLine's own termination handling is off.
    /// </summary>
    public static int Run(string[] args, InvocationConfiguration? configuration = null) => Run(BuildRootCommand(), args, configuration);

    /// <summary>
    /// Runs <paramref name="args"/> against <paramref name="root"/> (tests pass their own commands). An exception that
    /// escapes a command is a bug, never the user's input (commands turn bad input into a usage error themselves):
    /// it is reported on stderr with the command's error prefix, its type and its stack for the bug report, and exits 1.
    /// System.CommandLine's own handler would print a cancellation that escaped (not Ctrl-C: the commands handle that)
    /// as nothing at all, and anything else without the prefix.
    /// </summary>
    internal static int Run(RootCommand root, string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        configuration.ProcessTerminationTimeout = null;
        configuration.EnableDefaultExceptionHandler = false;
        // No response files: '@path' is an argument of its own (verify --body @payload.json, as in curl).
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // The same prefix as the commands' own errors (CommandError): lameduck lab: error: ...
        var command = parseResult.CommandResult.Command is RootCommand ? "" : " " + parseResult.CommandResult.Command.Name;
        if (parseResult.Errors.Count > 0 && parseResult.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            foreach (var error in parseResult.Errors) configuration.Error.WriteLine($"lameduck{command}: error: {error.Message}");
            configuration.Error.WriteLine($"Run 'lameduck{command} --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parseResult.Invoke(configuration);
        }
        catch (Exception e)
        {
            configuration.Error.WriteLine($"lameduck{command}: error: an internal error stopped the command (a bug; please report it with what follows): {e}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Runs the CLI.</summary>
    public static int Main(string[] args) => Run(args);
}
