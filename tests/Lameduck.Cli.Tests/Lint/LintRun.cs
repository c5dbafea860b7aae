using System.CommandLine;
using System.Text;
using System.Text.Json;
using Lameduck.Cli.Lint;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>Runs <c>lameduck lint</c> in-process through the real command line parser.</summary>
internal static class LintRun
{
    /// <summary>The exit code and what the command printed.</summary>
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The findings of a <c>--format json</c> run.</summary>
        public List<JsonElement> Findings() =>
            [.. JsonDocument.Parse(Stdout).RootElement.GetProperty("findings").EnumerateArray()];

        /// <summary>(rule, line) of a <c>--format json</c> run, sorted.</summary>
        public List<(string Rule, int Line)> RuleLines() =>
            [.. Findings().Select(f => (f.GetProperty("rule").GetString()!, f.GetProperty("line").GetInt32())).Order()];
    }

    /// <summary>Runs <c>lameduck lint ARGS</c>; <paramref name="stdin"/> is what <c>-</c> reads.</summary>
    public static Outcome Invoke(IEnumerable<string> args, byte[]? stdin = null)
    {
        var root = new RootCommand { LintCommand.Create(() => new MemoryStream(stdin ?? [])) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = root.Parse(["lint", .. args]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new Outcome(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs lint on <paramref name="yaml"/> given through stdin.</summary>
    public static Outcome InvokeOnText(string yaml, params string[] extraArgs) =>
        Invoke(["-", .. extraArgs], Encoding.UTF8.GetBytes(yaml));
}

/// <summary>Paths in the repository (tests run from bin/, the corpus and examples live in the tree).</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding Lameduck.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The lint corpus.</summary>
    public static string Corpus => Path.Combine(Root, "tests", "Lameduck.Cli.Tests", "Lint", "Corpus");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lameduck.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Lameduck.slnx not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A temporary folder removed when the test ends, pass or fail.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lameduck-lint-" + Guid.NewGuid().ToString("N"));

    public string Write(string relative, string text) => Write(relative, Encoding.UTF8.GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
