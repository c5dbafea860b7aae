namespace Lameduck.Cli.Tests.Lint;

/// <summary>The manifests shipped in examples/kubernetes (every part's) show the right way: they lint clean.</summary>
public class ExamplesLintCleanTests
{
    private static string Examples => Path.Combine(RepoPaths.Root, "examples", "kubernetes");

    [Fact]
    public void Examples_folder_lints_without_any_finding()
    {
        Assert.NotEmpty(Directory.GetFiles(Examples, "*.yaml", SearchOption.AllDirectories));

        var run = LintRun.Invoke([Examples, "--format", "json"]);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stderr}\n{run.Stdout}");
        Assert.Empty(run.Findings());
        Assert.Equal("", run.Stderr); // no skipped document either
    }

    [Theory]
    // Without any Lameduck__ option nothing says the app uses the library (whose Delay defaults to 5 s).
    [InlineData("            - name: Lameduck__Delay          # LD006: the lame-duck window (a .NET TimeSpan)\n              value: \"00:00:05\"\n            - name: Lameduck__GracePeriod    # LD002: the same budget the kubelet enforces\n              value: \"00:00:30\"\n", "", "LD006")]
    [InlineData("replicas: 3", "replicas: 1", "LD007")]
    [InlineData("maxUnavailable: 0", "maxUnavailable: 100%", "LD007")]
    [InlineData("path: /healthz/live", "path: /healthz/ready", "LD009")]
    [InlineData("value: \"00:00:30\"", "value: \"00:01:00\"", "LD002")]
    [InlineData("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 6", "LD002")]
    [InlineData("readinessProbe:                    # LD005", "startupProbe:                    # LD005", "LD005")]
    public void Hello_service_example_is_clean_because_of_each_setting(string original, string changed, string rule)
    {
        using var temp = new TempFolder();
        var text = File.ReadAllText(Path.Combine(Examples, "hello-service.yaml"));
        Assert.Contains(original, text);
        var path = temp.Write("hello-service.yaml", text.Replace(original, changed));

        var run = LintRun.Invoke([path, "--format", "json"]);

        Assert.Contains(rule, run.RuleLines().Select(r => r.Rule));
    }
}
