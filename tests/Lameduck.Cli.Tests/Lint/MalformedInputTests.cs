using System.Diagnostics;
using System.Text;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>Unusable input exits 2 with file and line on stderr: never a stack trace, a crash or a hang.</summary>
public class MalformedInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string GoodPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: ok
        spec:
          containers:
            - name: app
              image: example.com/app:1.0

        """;

    private LintRun.Outcome LintFile(string name, string text) => LintRun.Invoke([_temp.Write(name, text)]);

    private static void AssertUnusable(LintRun.Outcome run, string fileAndLine, string reason)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(fileAndLine + ": ", run.Stderr);
        Assert.Contains(reason, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr); // no stack trace
        Assert.DoesNotContain("Exception", run.Stderr);
    }

    [Fact]
    public void Tab_indentation_names_the_line()
    {
        var path = _temp.Write("tabs.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n");
        AssertUnusable(LintRun.Invoke([path]), $"{path}:4", "not valid YAML");
    }

    [Fact]
    public void Bad_indentation_names_the_line()
    {
        var path = _temp.Write("indent.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: {}\n");
        AssertUnusable(LintRun.Invoke([path]), $"{path}:5", "not valid YAML");
    }

    [Fact]
    public void Duplicate_key_names_both_lines()
    {
        var path = _temp.Write("dup.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec: {}\n");
        AssertUnusable(LintRun.Invoke([path]), $"{path}:5", "duplicate key 'name' (first set on line 4)");
    }

    [Fact]
    public void Binary_data_is_refused_with_the_line_of_the_first_NUL()
    {
        var bytes = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Pod\n").Concat(new byte[] { 0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x01 }).ToArray();
        var path = _temp.Write("junk.yaml", bytes);
        AssertUnusable(LintRun.Invoke([path]), $"{path}:3", "binary data");
    }

    [Fact]
    public void Invalid_utf8_is_refused_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("a: 1\nb: 2\nc: ").Concat(new byte[] { 0xC3, 0x28, 0xFF, 0x0A }).ToArray();
        var path = _temp.Write("latin.yaml", bytes);
        AssertUnusable(LintRun.Invoke([path]), $"{path}:3", "not UTF-8 text");
    }

    [Fact]
    public void Alias_bomb_is_refused_quickly_without_expanding()
    {
        var yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n  annotations:\n");
        yaml.Append("    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++)
        {
            var previous = (char)(c - 1);
            yaml.Append($"    {c}: &{c} [{string.Join(",", Enumerable.Repeat($"*{previous}", 9))}]\n");
        }
        var path = _temp.Write("bomb.yaml", yaml.ToString());

        var clock = Stopwatch.StartNew();
        var run = RunWithin(TimeSpan.FromSeconds(60), () => LintRun.Invoke([path]));

        // Line 12 is "g: &g [*f,...]": 9^7 nodes, the first level past the 1,000,000-node budget.
        AssertUnusable(run, $"{path}:12", "alias bomb");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Recursive_alias_is_refused_not_walked_forever()
    {
        var path = _temp.Write("loop.yaml", "apiVersion: v1\nkind: List\nitems: &items\n  - apiVersion: v1\n    kind: List\n    items: *items\n");
        AssertUnusable(RunWithin(TimeSpan.FromSeconds(60), () => LintRun.Invoke([path])), $"{path}:6", "refers to a node that contains it");
    }

    [Fact]
    public void Symlink_cycle_in_a_folder_does_not_hang()
    {
        _temp.Write("k8s/pod.yaml", GoodPod);
        Directory.CreateSymbolicLink(Path.Combine(_temp.Path, "k8s", "loop"), Path.Combine(_temp.Path, "k8s"));

        var run = RunWithin(TimeSpan.FromSeconds(60), () => LintRun.Invoke([Path.Combine(_temp.Path, "k8s")]));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("1 object in 1 file linted", run.Stdout);
    }

    [Fact]
    public void Moderate_alias_reuse_is_linted_normally()
    {
        var path = Path.Combine(RepoPaths.Corpus, "General", "anchors-and-aliases.yaml");
        var run = LintRun.Invoke([path]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("LD009", run.Stdout);
    }

    [Fact]
    public void A_50_MB_file_is_refused_by_the_size_limit_without_reading_it()
    {
        var path = Path.Combine(_temp.Path, "huge.yaml");
        using (var file = File.Create(path))
        {
            var line = Encoding.UTF8.GetBytes("# padding padding padding padding padding padding padding padding\n");
            for (long written = 0; written < 50L * 1024 * 1024; written += line.Length) file.Write(line);
        }

        var run = RunWithin(TimeSpan.FromSeconds(60), () => LintRun.Invoke([path]));

        AssertUnusable(run, $"{path}:1", "over the 32 MiB limit");
    }

    [Fact]
    public void A_50_MB_stdin_is_refused_by_the_size_limit()
    {
        var bytes = new byte[50 * 1024 * 1024];
        bytes.AsSpan().Fill((byte)'#');
        var run = RunWithin(TimeSpan.FromSeconds(60), () => LintRun.Invoke(["-"], bytes));
        AssertUnusable(run, "<stdin>:1", "over the 32 MiB limit");
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var path = _temp.Write("deep.yaml", new string('[', 100_000));
        AssertUnusable(RunWithin(TimeSpan.FromSeconds(60), () => LintRun.Invoke([path])), $"{path}:1", "nesting deeper than 256 levels");
    }

    [Fact]
    public void Empty_file_alone_is_nothing_to_lint()
    {
        var path = _temp.Write("empty.yaml", "");
        AssertUnusable(LintRun.Invoke([path]), $"{path}:1", "empty");
        Assert.Contains("no Kubernetes object in the input", LintRun.Invoke([path]).Stderr);
    }

    [Fact]
    public void Non_kubernetes_yaml_alone_is_nothing_to_lint()
    {
        var path = _temp.Write("values.yaml", "replicaCount: 2\nimage:\n  repository: nginx\n");
        AssertUnusable(LintRun.Invoke([path]), $"{path}:1", "not a Kubernetes object (no apiVersion and kind), skipped");
    }

    [Fact]
    public void Non_kubernetes_yaml_next_to_manifests_is_a_note_and_the_rest_is_linted()
    {
        _temp.Write("chart/values.yaml", "replicaCount: 2\n");
        _temp.Write("chart/pod.yaml", GoodPod);

        var run = LintRun.Invoke([_temp.Path]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: ", run.Stderr);
        Assert.Contains("values.yaml:1: not a Kubernetes object", run.Stderr);
        Assert.Contains("1 object in 2 files linted", run.Stdout);
    }

    [Fact]
    public void One_broken_file_is_reported_and_the_others_are_linted_with_their_own_exit_code()
    {
        var broken = _temp.Write("a-broken.yaml", "kind: [\n");
        _temp.Write("b-pod.yaml", GoodPod.Replace("name: app", "name: app\n      lifecycle:\n        preStop:\n          sleep:\n            seconds: 40"));

        var run = LintRun.Invoke([_temp.Path]);

        Assert.Equal(1, run.ExitCode); // LD001 is an error; the broken file does not decide the exit code
        Assert.Contains("warning: " + broken.Replace('\\', '/') + ":2: not valid YAML", run.Stderr);
        Assert.Contains("LD001", run.Stdout);
        Assert.Contains("Not linted (could not be read", run.Stdout);
        Assert.Contains("1 file not linted", run.Stdout);

        var json = LintRun.Invoke([_temp.Path, "--format", "json"]);
        var notLinted = Assert.Single(System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement.GetProperty("not_linted").EnumerateArray());
        Assert.EndsWith("a-broken.yaml", notLinted.GetProperty("file").GetString());
        Assert.Equal(2, notLinted.GetProperty("line").GetInt32());
    }

    [Fact]
    public void With_strict_one_broken_file_exits_2_but_the_others_are_still_reported()
    {
        _temp.Write("a-broken.yaml", "kind: [\n");
        _temp.Write("b-pod.yaml", GoodPod.Replace("name: app", "name: app\n      lifecycle:\n        preStop:\n          sleep:\n            seconds: 40"));

        var run = LintRun.Invoke([_temp.Path, "--strict"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: ", run.Stderr);
        Assert.Contains("a-broken.yaml:", run.Stderr);
        Assert.Contains("LD001", run.Stdout);
    }

    [Fact]
    public void An_unrendered_helm_template_is_told_to_be_rendered_first()
    {
        var run = LintFile("deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"shop.fullname\" . }}\n  labels:\n    {{- include \"shop.labels\" . | nindent 4 }}\n");

        Assert.Equal(2, run.ExitCode); // nothing else to lint
        Assert.Contains("unrendered Helm template: render it first (helm template", run.Stderr);
    }

    [Fact]
    public void Missing_path_is_named()
    {
        var path = Path.Combine(_temp.Path, "nope.yaml");
        AssertUnusable(LintRun.Invoke([path]), $"{path}:1", "no such file or folder");
    }

    [Fact]
    public void Unclosed_quote_names_a_line()
    {
        var path = _temp.Write("quote.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"web\n");
        AssertUnusable(LintRun.Invoke([path]), $"{path}:4", "not valid YAML");
    }

    private static T RunWithin<T>(TimeSpan limit, Func<T> action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(limit), $"did not finish within {limit}");
        return task.Result;
    }
}
