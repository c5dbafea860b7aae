using System.CommandLine;

namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>Runs the lameduck CLI in-process with captured stdout and stderr.</summary>
public static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Task.Run(() => Program.Run(args, new InvocationConfiguration { Output = stdout, Error = stderr }));
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }
}
