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
    public static int Run(string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        configuration.ProcessTerminationTimeout = null;
        // No response files: '@path' is an argument of its own (verify --body @payload.json, as in curl).
        var parseResult = BuildRootCommand().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0 && parseResult.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            // The same prefix as the commands' own errors (CommandError): lameduck lab: error: ...
            var command = parseResult.CommandResult.Command is RootCommand ? "" : " " + parseResult.CommandResult.Command.Name;
            foreach (var error in parseResult.Errors) configuration.Error.WriteLine($"lameduck{command}: error: {error.Message}");
            configuration.Error.WriteLine($"Run 'lameduck{command} --help' for usage.");
            return ExitCodes.Usage;
        }
        return parseResult.Invoke(configuration);
    }

    /// <summary>Runs the CLI.</summary>
    public static int Main(string[] args) => Run(args);
}
