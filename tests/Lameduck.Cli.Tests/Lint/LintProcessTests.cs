using System.Diagnostics;
using System.Text.Json;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>The real <c>lameduck</c> process: Main's wiring, a real stdin pipe, real exit codes.</summary>
public class LintProcessTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string stdinFile, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Lameduck.Cli.dll");
        Assert.True(File.Exists(cli), $"{cli} not built next to the tests");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);

        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await using (var stdin = File.OpenRead(stdinFile)) await stdin.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Helm_template_piped_into_lameduck_lint_dash()
    {
        var (exit, stdout, stderr) = await RunAsync(Path.Combine(RepoPaths.Corpus, "General", "helm-template.yaml"), "lint", "-", "--format", "json");

        Assert.True(exit == 0, stderr);
        var rules = JsonDocument.Parse(stdout).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).ToList();
        Assert.Equal(["LD007", "LD005", "LD006"], rules);
    }

    [Fact]
    public async Task Error_finding_exits_1_and_unusable_input_exits_2()
    {
        var (errorExit, _, _) = await RunAsync(Path.Combine(RepoPaths.Corpus, "LD001", "positive-exec-sleep.yaml"), "lint", "-");
        Assert.Equal(1, errorExit);

        using var temp = new TempFolder();
        var junk = temp.Write("junk.bin", [0x00, 0x01, 0x02, 0xff]);
        var (unusableExit, _, stderr) = await RunAsync(junk, "lint", "-");
        Assert.Equal(2, unusableExit);
        Assert.Contains("<stdin>:1: binary data", stderr);
    }
}
