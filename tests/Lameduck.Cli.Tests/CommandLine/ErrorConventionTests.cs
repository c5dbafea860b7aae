using Lameduck.Cli.Tests.Verify.Support;

namespace Lameduck.Cli.Tests.CommandLine;

/// <summary>
/// The commands handle errors one way: one exit-code set (ExitCodes), one message prefix
/// (<c>lameduck COMMAND: error: ...</c>, from the parser and from the commands alike), and the flags verify and lab
/// share (--rate, --duration, --timeout, --output) rejected with the same words by both.
/// </summary>
public sealed class ErrorConventionTests
{
    public static TheoryData<string[], string, string> BadUsage => new()
    {
        { ["verify", "http://127.0.0.1:1/", "--rate", "0"], "verify", "--rate must be a number > 0 (got 0)" },
        { ["lab", "--sample", "baseline", "--rate", "0"], "lab", "--rate must be a number > 0 (got 0)" },
        { ["verify", "http://127.0.0.1:1/", "--duration", "0s"], "verify", "--duration must be > 0" },
        { ["lab", "--sample", "baseline", "--duration", "0s"], "lab", "--duration must be > 0" },
        { ["verify", "http://127.0.0.1:1/", "--timeout", "soon"], "verify", "--timeout: 'soon' is not a duration" },
        { ["lab", "--sample", "baseline", "--timeout", "soon"], "lab", "--timeout: 'soon' is not a duration" },
        { ["verify", "http://127.0.0.1:1/", "--output", "yaml"], "verify", "--output: 'yaml' is not one of text, json" },
        { ["lab", "--sample", "baseline", "--output", "yaml"], "lab", "--output: 'yaml' is not one of text, json" },
        { ["verify", "not a url"], "verify", "url: 'not a url' is not an absolute http:// or https:// URL" },
        { ["lab", "--sample", "baseline", "--propagation", "3s..1s"], "lab", "--propagation" },
        { ["lint", "--format", "yaml", "x.yaml"], "lint", "--format: 'yaml' is not a format" },
        { ["lint"], "lint", "PATH: name at least one manifest file or folder" },
        { ["lint", "--frobnicate", "x.yaml"], "lint", "--frobnicate" },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task Bad_usage_exits_2_with_the_commands_error_prefix_naming_the_flag(string[] args, string command, string message)
    {
        var outcome = await CliRunner.RunAsync(args);

        Assert.Equal(Cli.CommandLine.ExitCodes.Usage, outcome.ExitCode);
        var first = outcome.Stderr.Split('\n')[0];
        Assert.StartsWith($"lameduck {command}: error: ", first);
        Assert.Contains(message, outcome.Stderr);
        Assert.DoesNotContain("   at ", outcome.Stderr); // no stack trace
        Assert.Equal("", outcome.Stdout);
    }

    /// <summary>
    /// An exception that escapes a command (a bug) gets the command's error prefix, its type and stack, and exit 1;
    /// a cancellation nobody asked for (not Ctrl-C) included, which System.CommandLine's own handler turns into
    /// exit 1 without a word (seen once from lab, whose load cancelled itself: the user saw nothing).
    /// </summary>
    [Theory]
    [InlineData("cancelled")]
    [InlineData("invalid")]
    [InlineData("cancelled-async")]
    public void An_exception_that_escapes_a_command_is_reported_with_the_prefix_and_exits_1(string kind)
    {
        Exception Bug() => kind.StartsWith("cancelled", StringComparison.Ordinal)
            ? new OperationCanceledException("a token nobody cancelled on purpose")
            : new InvalidOperationException("a state the command did not expect");
        var boom = new System.CommandLine.Command("boom");
        if (kind.EndsWith("-async", StringComparison.Ordinal))
            boom.SetAction(async (_, _) => { await Task.Yield(); throw Bug(); });
        else
            boom.SetAction(new Func<System.CommandLine.ParseResult, int>(_ => throw Bug()));
        var root = new System.CommandLine.RootCommand { boom };
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = Program.Run(root, ["boom"], new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });

        Assert.Equal(Cli.CommandLine.ExitCodes.Failed, code);
        var text = stderr.ToString();
        Assert.StartsWith("lameduck boom: error: an internal error stopped the command (a bug; please report it with what follows): ", text);
        Assert.Contains(Bug().GetType().FullName!, text);
        Assert.Contains(Bug().Message, text);
        Assert.Contains("   at ", text); // the stack, for the bug report
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void The_exit_codes_are_the_documented_ones()
    {
        Assert.Equal(0, Cli.CommandLine.ExitCodes.Ok);
        Assert.Equal(1, Cli.CommandLine.ExitCodes.Failed);
        Assert.Equal(2, Cli.CommandLine.ExitCodes.Usage);
        Assert.Equal(128 + 2, Cli.CommandLine.ExitCodes.Interrupted); // 128 + SIGINT, as shells report a Ctrl-C
    }
}
