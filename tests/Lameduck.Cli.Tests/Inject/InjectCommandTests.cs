using System.Text;
using Lameduck.Cli.Tests.Lint;

namespace Lameduck.Cli.Tests.Inject;

/// <summary>The command line: inputs (stdin, files, folders), outputs (stdout, --dry-run, --in-place), errors and exit codes.</summary>
public class InjectCommandTests
{
    [Fact]
    public void Stdin_and_a_file_give_the_same_output()
    {
        var fromFile = InjectRun.Invoke([Manifest.Path("php-fpm.yaml")]);
        var fromStdin = InjectRun.Invoke(["-"], File.ReadAllBytes(Manifest.Path("php-fpm.yaml")));

        Assert.Equal(0, fromStdin.ExitCode);
        Assert.Equal(fromFile.StdoutBytes, fromStdin.StdoutBytes);
        Assert.Contains("1 workload(s) opted in: 1 injected", fromStdin.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Folders_are_read_recursively_in_order_and_printed_as_one_stream_of_documents()
    {
        using var temp = new TempFolder();
        temp.Write("b/web.yaml", Manifest.Text("nginx-official.yaml"));
        temp.Write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\ndata: {a: b}"); // no final newline
        temp.Write("c.json", "---\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"last\"}}\n");
        temp.Write("notes.txt", "not a manifest");

        var run = InjectRun.Invoke([temp.Path]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\ndata: {a: b}\n---\n# The official nginx image", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\n---\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"last\"}}\n", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(["ConfigMap/first", "Deployment/web", "ConfigMap/last"], run.Objects().Keys);
        Assert.Equal("nginx: lameduck-init (preset nginx)", Manifest.Workload(run, "Deployment/web").Annotation("lameduck.dev/status"));
    }

    [Fact]
    public void Dry_run_prints_a_diff_that_patch_applies_to_give_exactly_the_injected_file()
    {
        using var temp = new TempFolder();
        // Two workloads far apart (two hunks), one change on the file's last line without a final newline.
        var text = Manifest.Text("dotnet-library.yaml") + "---\n" + string.Concat(Enumerable.Repeat("# padding\n", 12)) + Manifest.Text("go-app.yaml").TrimEnd('\n');
        var path = temp.Write("app.yaml", text);

        var dryRun = InjectRun.Invoke([path, "--dry-run"]);
        var injected = InjectRun.Invoke([path]);

        Assert.Equal(0, dryRun.ExitCode);
        Assert.StartsWith($"--- {path}\n+++ {path}\n@@ ", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(path)); // a dry run writes nothing
        // The hunks are the ones GNU diff -u finds between the file and inject's output.
        var output = temp.Write("injected.yaml", injected.StdoutBytes);
        var gnu = Encoding.UTF8.GetString(Tool.Run("diff", ["-u", path, output]).Stdout);
        string[] Hunks(string d) => [.. d.Split('\n').Where(l => l.StartsWith("@@ ", StringComparison.Ordinal))];
        Assert.True(Hunks(gnu).Length >= 4, gnu);
        Assert.Equal(Hunks(gnu), Hunks(dryRun.Stdout));
        var diff = temp.Write("changes.diff", dryRun.Stdout);
        var (exit, _, stderr) = Tool.Run("patch", ["--quiet", "--no-backup-if-mismatch", path, diff]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(injected.StdoutBytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Dry_run_of_nothing_to_change_prints_nothing()
    {
        var once = InjectRun.Invoke([Manifest.Path("httpd.yaml")]);

        var dryRun = InjectRun.Invoke(["-", "--dry-run"], once.StdoutBytes);

        Assert.Equal(0, dryRun.ExitCode);
        Assert.Equal("", dryRun.Stdout);
    }

    [Fact]
    public void In_place_rewrites_only_the_files_that_change()
    {
        using var temp = new TempFolder();
        var web = temp.Write("web.yaml", Manifest.Text("nginx-official.yaml"));
        var quiet = temp.Write("quiet.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q}\n");
        var quietTime = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(quiet, quietTime);
        var expected = InjectRun.Invoke([web]).StdoutBytes;

        var run = InjectRun.Invoke([temp.Path, "--in-place"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.StdoutBytes);
        Assert.Equal(expected, File.ReadAllBytes(web));
        Assert.Equal(quietTime, File.GetLastWriteTimeUtc(quiet));
        Assert.Contains("1 file(s) rewritten", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task As_a_helm_post_renderer_the_real_process_reads_stdin_and_writes_stdout()
    {
        // helm template output, opted in: helm pipes it through "lameduck inject -" and applies what comes out.
        var rendered = InjectRun.OptIn(File.ReadAllText(Path.Combine(RepoPaths.Corpus, "General", "helm-template.yaml")));
        var expected = InjectRun.OnText(rendered);

        var (exit, stdout, stderr) = await Task.Run(() =>
            Tool.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "Lameduck.Cli.dll"), "inject", "-"], Encoding.UTF8.GetBytes(rendered), TimeSpan.FromSeconds(60)));

        Assert.True(exit == 0, stderr);
        Assert.Equal(expected.StdoutBytes, stdout);
        Assert.Contains("shop: preStop sleep 5s", Encoding.UTF8.GetString(stdout), StringComparison.Ordinal);
        Assert.Contains("# Source: shop/templates/deployment.yaml", Encoding.UTF8.GetString(stdout), StringComparison.Ordinal);
    }

    [Fact]
    public void Unusable_input_writes_nothing_names_file_and_line_and_exits_2()
    {
        using var temp = new TempFolder();
        temp.Write("good.yaml", Manifest.Text("nginx-official.yaml"));
        var bad = temp.Write("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  name: y\n");

        var run = InjectRun.Invoke([temp.Path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.StdoutBytes);
        Assert.Contains($"{bad.Replace('\\', '/')}:5: duplicate key 'name' (first set on line 4)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing written", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "PATH: name at least one manifest file or folder")]
    [InlineData(new[] { "-", "--kube-version", "one.thirty" }, "--kube-version: 'one.thirty' is not a Kubernetes version")]
    [InlineData(new[] { "-", "--in-place" }, "--in-place: stdin (-) has no file to rewrite")]
    [InlineData(new[] { "x.yaml", "--in-place", "--dry-run" }, "--dry-run and --in-place: choose one")]
    [InlineData(new[] { "no-such-file.yaml" }, "no-such-file.yaml:1: no such file or folder")]
    public void Bad_usage_exits_2_with_a_message_naming_the_argument(string[] args, string message)
    {
        var run = InjectRun.Invoke(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.StdoutBytes);
    }
}
