using System.Text;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>The command line: inputs (files, folders, stdin, JSON), options and exit codes.</summary>
public class LintCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Corpus(string relative) => Path.Combine(RepoPaths.Corpus, relative);

    [Fact]
    public void Exit_1_on_an_error_finding_0_on_warnings_only_0_when_clean()
    {
        Assert.Equal(1, LintRun.Invoke([Corpus("LD001/positive-exec-sleep.yaml")]).ExitCode);
        var warningsOnly = LintRun.Invoke([Corpus("LD005/positive-container-port.yaml")]);
        Assert.Equal(0, warningsOnly.ExitCode);
        Assert.Contains("LD005", warningsOnly.Stdout);
        Assert.Equal(0, LintRun.Invoke([Corpus("LD005/negative-readiness.yaml")]).ExitCode);
    }

    [Fact]
    public void Stdin_reads_helm_template_output()
    {
        var yaml = File.ReadAllBytes(Corpus("General/helm-template.yaml"));
        var run = LintRun.Invoke(["-", "--format", "json"], yaml);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([("LD005", 32), ("LD006", 32), ("LD007", 22)], run.RuleLines());
        Assert.All(run.Findings(), f => Assert.Equal("<stdin>", f.GetProperty("file").GetString()));
    }

    [Fact]
    public void Folders_are_searched_recursively_for_yaml_yml_and_json_only()
    {
        var sleeper = File.ReadAllText(Corpus("LD001/positive-exec-sleep.yaml"));
        _temp.Write("a/deep/one.yaml", sleeper);
        _temp.Write("a/two.yml", sleeper);
        _temp.Write("b/notes.txt", sleeper);
        _temp.Write("b/README.md", "# not a manifest");
        _temp.Write("three.json", """
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"},
             "spec": {"terminationGracePeriodSeconds": 5, "containers": [{"name": "c", "image": "example.com/c",
               "lifecycle": {"preStop": {"sleep": {"seconds": 9}}}}]}}
            """);

        var run = LintRun.Invoke([_temp.Path, "--format", "json"]);

        Assert.Equal(1, run.ExitCode);
        var files = run.Findings().Select(f => Path.GetRelativePath(_temp.Path, f.GetProperty("file").GetString()!).Replace('\\', '/')).ToList();
        Assert.Equal(["a/deep/one.yaml", "a/two.yml", "three.json"], files);
        var json = run.Findings().Last();
        Assert.Equal(3, json.GetProperty("line").GetInt32()); // "lifecycle" line of the JSON file
        Assert.Equal("Pod/j", json.GetProperty("object").GetString());
    }

    [Fact]
    public void Json_indented_with_tabs_is_read()
    {
        var path = _temp.Write("tabs.json",
            "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n\t\"metadata\": {\"name\": \"t\"},\n" +
            "\t\"spec\": {\n\t\t\"terminationGracePeriodSeconds\": 5,\n\t\t\"containers\": [{\"name\": \"c\", \"image\": \"example.com/c\",\n" +
            "\t\t\t\"lifecycle\": {\"preStop\": {\"sleep\": {\"seconds\": 9}}}}]\n\t}\n}\n");
        Assert.Equal([("LD001", 8)], LintRun.Invoke([path, "--format", "json"]).RuleLines()); // the "seconds" line
    }

    [Fact]
    public void Windows_line_endings_keep_the_same_lines()
    {
        foreach (var relative in new[] { "General/helm-template.yaml", "LD008/positive-longer-than-grace.yaml", "LD001/positive-shell-script-sleep.yaml" })
        {
            var unix = LintRun.Invoke([Corpus(relative), "--format", "json"]).RuleLines();
            var crlf = _temp.Write(Path.GetFileName(relative), File.ReadAllText(Corpus(relative)).ReplaceLineEndings("\r\n"));
            Assert.NotEmpty(unix);
            Assert.Equal(unix, LintRun.Invoke([crlf, "--format", "json"]).RuleLines());
        }
    }

    [Fact]
    public void Disable_skips_rules_comma_separated_or_repeated()
    {
        var file = Corpus("General/helm-template.yaml");
        Assert.Equal([("LD006", 32)], LintRun.Invoke([file, "--format", "json", "--disable", "LD005,ld007"]).RuleLines());
        Assert.Equal([("LD007", 22)], LintRun.Invoke([file, "--format", "json", "--disable", "LD005", "--disable", "LD006"]).RuleLines());
    }

    [Fact]
    public void Disable_of_an_unknown_rule_names_the_flag()
    {
        var run = LintRun.Invoke([Corpus("LD001/positive-exec-sleep.yaml"), "--disable", "LD999"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--ignore/--disable: 'LD999' is not a rule", run.Stderr);
    }

    [Fact]
    public void Kube_version_chooses_the_fix_for_shell_less_images()
    {
        var file = Corpus("LD003/positive-distroless-shell.yaml");
        string Fix(string version) => LintRun.Invoke([file, "--format", "json", "--kube-version", version]).Findings().Single().GetProperty("fix").GetString()!;

        Assert.Contains("lifecycle.preStop.sleep.seconds: 5", Fix("1.30"));
        Assert.Contains("lifecycle.preStop.sleep.seconds: 5", Fix("v1.31.2"));
        var old = Fix("1.29");
        Assert.Contains("no native sleep action", old);
        Assert.Contains("lameduck-init\", \"sleep\", \"5s\"", old);
    }

    [Fact]
    public void Bad_kube_version_names_the_flag()
    {
        var run = LintRun.Invoke([Corpus("LD001/positive-exec-sleep.yaml"), "--kube-version", "latest"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--kube-version: 'latest' is not a Kubernetes version", run.Stderr);
    }

    [Fact]
    public void Output_writes_the_report_to_a_file()
    {
        var target = Path.Combine(_temp.Path, "lint.sarif");
        var run = LintRun.Invoke([Corpus("LD001/positive-exec-sleep.yaml"), "--format", "sarif", "--output", target]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("\"version\": \"2.1.0\"", File.ReadAllText(target, Encoding.UTF8));
    }

    [Fact]
    public void Output_to_an_unwritable_place_names_the_flag()
    {
        var run = LintRun.Invoke([Corpus("LD001/positive-exec-sleep.yaml"), "--output", Path.Combine(_temp.Path, "no", "such", "dir", "x.json")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--output: cannot write", run.Stderr);
    }

    [Fact]
    public void Unknown_format_names_the_flag()
    {
        var run = LintRun.Invoke([Corpus("LD001/positive-exec-sleep.yaml"), "--format", "xml"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--format: 'xml' is not a format", run.Stderr);
    }

    [Fact]
    public void Missing_path_exits_2_with_a_usage_hint()
    {
        var run = LintRun.Invoke([]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("PATH: name at least one manifest file or folder, or - for stdin", run.Stderr);
    }

    [Fact]
    public void The_lint_command_is_registered_on_the_lameduck_root()
    {
        var root = Program.BuildRootCommand();
        Assert.Contains(root.Subcommands, c => c.Name == "lint");
    }
}
