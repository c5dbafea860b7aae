using System.Text.Json;

namespace Lameduck.Cli.Tests.Lint;

/// <summary>
/// What users switch off and how objects are told apart: the lint-ignore annotation, --ignore, --exclude, the
/// configuration file (explicit and discovered), namespaces in identities, and input sets that never match each other.
/// </summary>
public sealed class SuppressionAndScopeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    // A Deployment with a Service: LD005 (no readiness), LD006 (no delay), LD007 (one replica, only backend).
    private static string Web(string name = "web", string ns = "", string annotations = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
        {{(ns.Length > 0 ? $"  namespace: {ns}\n" : "")}}{{annotations}}spec:
          replicas: 1
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
                - name: app
                  image: example.com/{{name}}:1.0
                  ports:
                    - containerPort: 8080
        """;

    private static string Service(string name = "web", string ns = "") => $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {{name}}
        {{(ns.Length > 0 ? $"  namespace: {ns}\n" : "")}}spec:
          selector: {app: {{name}}}
          ports:
            - port: 80
              targetPort: 8080
        """;

    private static List<string> Rules(LintRun.Outcome run) => [.. run.RuleLines().Select(r => r.Rule)];

    [Fact]
    public void The_annotation_suppresses_the_rules_it_lists_and_the_count_is_reported()
    {
        var file = _temp.Write("web.yaml", Web(annotations: "  annotations:\n    lameduck.dev/lint-ignore: \"LD006, ld007: a demo\"\n") + "\n---\n" + Service());

        var run = LintRun.Invoke([file, "--format", "json"]);

        Assert.Equal(["LD005"], Rules(run));
        Assert.Equal(2, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("suppressed").GetInt32());
        Assert.Contains("2 suppressed by lameduck.dev/lint-ignore", LintRun.Invoke([file]).Stdout);
    }

    [Fact]
    public void Ignore_takes_commas_and_repeats_and_adds_to_the_configuration()
    {
        var file = _temp.Write("web.yaml", Web() + "\n---\n" + Service());
        var config = _temp.Write("lint.yaml", "ignore: [LD005]\n");

        Assert.Equal(["LD007"], Rules(LintRun.Invoke([file, "--format", "json", "--ignore", "LD005,LD006"])));
        Assert.Equal(["LD006"], Rules(LintRun.Invoke([file, "--format", "json", "--ignore", "LD005", "--ignore", "LD007"])));
        Assert.Equal(["LD007"], Rules(LintRun.Invoke([file, "--format", "json", "--config", config, "--ignore", "LD006"])));
    }

    [Fact]
    public void Exclude_leaves_files_unread_and_says_how_many()
    {
        _temp.Write("app/web.yaml", Web() + "\n---\n" + Service());
        _temp.Write("vendor/broken.yaml", "kind: [\n");
        _temp.Write("app/tmpl.tpl.yaml", "metadata:\n  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\n");

        var run = LintRun.Invoke([_temp.Path, "--strict", "--exclude", "vendor", "--exclude", "*.tpl.yaml"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2 files excluded", run.Stdout);
        Assert.Equal(2, LintRun.Invoke([_temp.Path, "--strict", "--exclude", "vendor"]).ExitCode); // the template is read, and fails
    }

    [Fact]
    public void A_discovered_configuration_file_applies_and_a_bad_one_is_named_with_its_line()
    {
        var folder = Path.Combine(_temp.Path, "repo");
        _temp.Write("repo/.lameduck-lint.yaml", "# team settings\nignore: LD007\nexclude:\n  - broken.yaml\nstrict: true\n");
        _temp.Write("repo/k8s/web.yaml", Web() + "\n---\n" + Service());
        _temp.Write("repo/k8s/broken.yaml", "kind: [\n");
        var previous = Directory.GetCurrentDirectory();
        var discovered = Cli.Lint.LintConfig.Find(null, Path.Combine(folder, "k8s"));
        Assert.Equal(Path.Combine(folder, ".lameduck-lint.yaml"), discovered.Path);
        Assert.Equal(["LD007"], discovered.Ignore);
        Assert.True(discovered.Strict);

        var config = Path.Combine(folder, ".lameduck-lint.yaml");
        var run = LintRun.Invoke([Path.Combine(folder, "k8s"), "--config", config, "--format", "json"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["LD005", "LD006"], Rules(run));

        var bad = _temp.Write("bad.yaml", "ignore: [LD005]\nstrictt: true\n");
        var refused = LintRun.Invoke([Path.Combine(folder, "k8s"), "--config", bad]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{bad}:2: unknown setting 'strictt'", refused.Stderr);
        Assert.Equal(previous, Directory.GetCurrentDirectory());
    }

    [Fact]
    public void Objects_with_the_same_name_in_two_namespaces_are_two_objects()
    {
        var file = _temp.Write("two.yaml", Web(ns: "a") + "\n---\n" + Web(ns: "b") + "\n---\n" + Service(ns: "a"));

        var run = LintRun.Invoke([file, "--format", "json"]);
        var byNamespace = run.Findings().GroupBy(f => f.GetProperty("namespace").GetString()).ToDictionary(g => g.Key!, g => g.Select(f => f.GetProperty("rule").GetString()).Order().ToList());

        Assert.Equal(["LD005", "LD006", "LD007"], byNamespace["a"]); // the only backend of its Service
        Assert.Equal(["LD005", "LD006"], byNamespace["b"]);          // no Service of b: a declared port, not a Service's only backend
        var text = LintRun.Invoke([file]).Stdout;
        Assert.Contains("  a/Deployment/web\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("  b/Deployment/web\n", text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_Service_in_one_input_set_does_not_select_pods_of_another()
    {
        _temp.Write("team-a/service.yaml", Service());
        _temp.Write("team-b/web.yaml", Web());

        var apart = LintRun.Invoke([Path.Combine(_temp.Path, "team-a"), Path.Combine(_temp.Path, "team-b"), "--format", "json"]);
        var together = LintRun.Invoke([_temp.Path, "--format", "json"]);

        Assert.DoesNotContain("LD007", Rules(apart));  // team-b's pod has no Service in its own input set
        Assert.Contains("LD007", Rules(together));     // one input set: the Service selects it
    }

    public void Dispose() => _temp.Dispose();
}
