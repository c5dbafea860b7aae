using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>Runs <c>lameduck lab ...</c> in-process and collects its output, exit code, and every pid and port it announced.</summary>
internal sealed partial class LabCli
{
    public int ExitCode { get; private init; }
    public string Stdout { get; private init; } = "";
    public string Stderr { get; private init; } = "";

    /// <summary>Every pid the lab announced on stderr (replicas and ingress).</summary>
    public IReadOnlyList<int> Pids => PidPattern().Matches(Stderr).Select(m => int.Parse(m.Groups[1].Value)).Distinct().ToArray();

    /// <summary>Every port the lab announced on stderr (replicas and ingress).</summary>
    public IReadOnlyList<int> Ports => PortPattern().Matches(Stderr).Select(m => int.Parse(m.Groups[1].Value)).Distinct().ToArray();

    public JsonObject Json => JsonNode.Parse(Stdout)!.AsObject();

    public static LabCli Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(["lab", .. args], new InvocationConfiguration { Output = stdout, Error = stderr });
        return new LabCli { ExitCode = code, Stdout = stdout.ToString(), Stderr = stderr.ToString() };
    }

    /// <summary>Asserts that no process the lab started is alive and none of its ports is in use.</summary>
    public async Task AssertNothingLeftAsync()
    {
        Assert.NotEmpty(Pids);
        await ProcessAssert.AllGoneAsync(Pids);
        await ProcessAssert.PortsFreeAsync(Ports);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    [GeneratedRegex(@"\bpid (\d+)")]
    private static partial Regex PidPattern();

    [GeneratedRegex(@"(?:\bport |127\.0\.0\.1:)(\d+)")]
    private static partial Regex PortPattern();
}
