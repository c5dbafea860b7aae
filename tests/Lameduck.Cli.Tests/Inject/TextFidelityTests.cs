using System.Text;
using System.Text.Json;

namespace Lameduck.Cli.Tests.Inject;

/// <summary>
/// What inject writes around its edits: documents it does not change are copied byte for byte, and changed
/// documents keep their comments, quoting, indentation style, line breaks and encoding.
/// </summary>
public class TextFidelityTests
{
    // Not opted in, and written oddly on purpose: comments, 3-space indentation, an anchor and its aliases, flow style.
    private const string Untouched = """
        # leading comment: keep me
        apiVersion: apps/v1
        kind: Deployment   # trailing comment
        metadata:
           name: quiet
           labels: &labels
              app: quiet       # aligned comment
        spec:
           replicas: 2
           selector:
              matchLabels: *labels
           template:
              metadata: {labels: *labels}
              spec:
                 containers:
                 -   name: quiet
                     image: 'registry.example.com/quiet:1'
                     args: [ "--flag" ,  "x" ]

        """;

    private const string OptedIn = """
        # Source: chart/templates/web.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
              annotations:
                lameduck.dev/inject: "true"   # opt in
            spec:
              # the server
              containers:
                - name: nginx
                  image: nginx:1.27   # official image
                  ports:
                    - containerPort: 80 # http

        """;

    private const string ListDocument = """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data:
              key: |
                literal block
                  kept as written
        """;

    [Fact]
    public void Documents_it_does_not_change_are_copied_byte_for_byte()
    {
        var input = Untouched + "---\n" + OptedIn + "---\n" + ListDocument;

        var run = InjectRun.OnText(input);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(Untouched + "---\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("---\n" + ListDocument, run.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(input, run.Stdout); // the middle one did change
        Assert.Contains("lameduck.dev/status", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Changed_documents_keep_every_comment_and_line_they_had_in_order()
    {
        var run = InjectRun.OnText(OptedIn);

        var output = run.Stdout.Split('\n');
        int at = 0;
        foreach (var line in OptedIn.Split('\n'))
        {
            // Every original line is still there, in the same order (inject only inserts lines or replaces values).
            while (at < output.Length && output[at] != line) at++;
            Assert.True(at < output.Length, $"line lost or reordered: '{line}'\n{run.Stdout}");
        }
        Assert.Contains("        lameduck.dev/status: \"nginx: lameduck-init (preset nginx)\"\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("          command: [\"/lameduck/lameduck-init\", \"--preset\", \"nginx\", \"--\"]\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void New_lines_follow_the_documents_indentation_and_sequence_style()
    {
        var fourSpaces = """
            apiVersion: v1
            kind: Pod
            metadata:
                name: four
                annotations:
                    lameduck.dev/inject: "true"
            spec:
                containers:
                -   name: api
                    image: registry.example.com/api:1
            """;

        var run = InjectRun.OnText(fourSpaces);

        // Container keys at the container's column (8), a mapping's members 4 deeper, a sequence's dashes at its key's column.
        Assert.Contains("\n        lifecycle:\n            preStop:\n                sleep:\n                    seconds: 5", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, Manifest.Container(run, "Pod/four", "api").PreStop!.SleepSeconds);
    }

    [Fact]
    public void Crlf_files_get_crlf_in_every_line_inject_writes()
    {
        var crlf = OptedIn.Replace("\n", "\r\n", StringComparison.Ordinal);

        var run = InjectRun.OnText(crlf);

        Assert.Contains("lameduck.dev/status", run.Stdout, StringComparison.Ordinal);
        for (int i = 0; i < run.Stdout.Length; i++)
        {
            if (run.Stdout[i] == '\n') Assert.True(i > 0 && run.Stdout[i - 1] == '\r', $"bare LF at {i}: ...{run.Stdout[Math.Max(0, i - 40)..i]}");
        }
        Assert.Equal("nginx: lameduck-init (preset nginx)", Manifest.Workload(run, "Deployment/web").Annotation("lameduck.dev/status"));
    }

    [Fact]
    public void Utf8_bom_is_kept_whether_or_not_the_file_changes()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var changed = InjectRun.Invoke(["-"], [.. bom, .. Encoding.UTF8.GetBytes(OptedIn)]);
        var untouched = InjectRun.Invoke(["-"], [.. bom, .. Encoding.UTF8.GetBytes(Untouched)]);

        Assert.Equal(bom, changed.StdoutBytes[..3]);
        Assert.NotEqual((byte)0xEF, changed.StdoutBytes[3]);
        Assert.Equal([.. bom, .. Encoding.UTF8.GetBytes(Untouched)], untouched.StdoutBytes);
    }

    [Fact]
    public void Json_manifests_stay_json()
    {
        var json = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "name": "api",
                "annotations": {"lameduck.dev/inject": "true"}
              },
              "spec": {
                "containers": [
                  {"name": "api", "image": "registry.example.com/api:1", "ports": [{"containerPort": 8080}]}
                ]
              }
            }
            """;

        var run = InjectRun.OnText(json);

        using var parsed = JsonDocument.Parse(run.Stdout);
        var container = parsed.RootElement.GetProperty("spec").GetProperty("containers")[0];
        Assert.Equal(5, container.GetProperty("lifecycle").GetProperty("preStop").GetProperty("sleep").GetProperty("seconds").GetInt32());
        Assert.Equal("api: preStop sleep 5s", parsed.RootElement.GetProperty("metadata").GetProperty("annotations").GetProperty("lameduck.dev/status").GetString());
    }

    [Fact]
    public void In_a_list_only_the_opted_in_item_changes()
    {
        var list = """
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: Pod
                metadata: {name: a}
                spec:
                  containers: [{name: a, image: registry.example.com/a:1}]
              - apiVersion: v1
                kind: Pod
                metadata:
                  name: b
                  annotations: {lameduck.dev/inject: "true"}
                spec:
                  containers: [{name: b, image: registry.example.com/b:1}]
            """;

        var run = InjectRun.OnText(list);

        var firstItem = list[..list.IndexOf("  - apiVersion: v1\n    kind: Pod\n    metadata:\n", StringComparison.Ordinal)];
        Assert.StartsWith(firstItem, run.Stdout, StringComparison.Ordinal);
        Assert.Null(Manifest.Container(run, "Pod/a", "a").PreStop);
        Assert.Equal(5, Manifest.Container(run, "Pod/b", "b").PreStop!.SleepSeconds);
    }

    [Fact]
    public void Anchors_off_the_edit_path_stay_and_an_edit_through_an_alias_rewrites_the_object_and_says_so()
    {
        var anchoredLabels = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: tidy
              labels: &labels {app: tidy}
            spec:
              selector: {matchLabels: *labels}
              template:
                metadata:
                  labels: *labels
                  annotations: {lameduck.dev/inject: "true"}
                spec:
                  containers: [{name: tidy, image: registry.example.com/tidy:1}]
            """;
        var sharedEnv = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: shared
              annotations: {lameduck.dev/inject: "true"}
            spec:
              containers:
                - name: a
                  image: registry.example.com/a:1
                  env: &env
                    - {name: Lameduck__Delay, value: "00:00:05"}
                # a comment the rewrite loses
                - name: b
                  image: registry.example.com/b:1
                  env: *env
            """;

        var tidy = InjectRun.OnText(anchoredLabels);
        var shared = InjectRun.OnText(sharedEnv);

        Assert.Contains("labels: &labels {app: tidy}", tidy.Stdout, StringComparison.Ordinal);
        Assert.Contains("matchLabels: *labels", tidy.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("written anew", tidy.Stderr, StringComparison.Ordinal);

        Assert.Contains("Pod/shared was written anew (an edit fell inside a YAML alias)", shared.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("&env", shared.Stdout, StringComparison.Ordinal);
        Assert.Equal("00:00:30", Manifest.Container(shared, "Pod/shared", "a").Env("Lameduck__GracePeriod"));
        Assert.Equal("00:00:30", Manifest.Container(shared, "Pod/shared", "b").Env("Lameduck__GracePeriod"));
    }

    [Fact]
    public void Quoting_of_replaced_values_is_kept()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: q
              annotations: {lameduck.dev/inject: "true"}
            spec:
              containers:
                - name: q
                  image: registry.example.com/q:1
                  env:
                    - name: Lameduck__GracePeriod
                      value: '00:01:00'
            """;

        var run = InjectRun.OnText(yaml);

        Assert.Contains("value: '00:00:30'", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("env: []", "env: [{name: Lameduck__GracePeriod, value: \"00:00:30\"}")]
    [InlineData("env:", "env: [{name: Lameduck__GracePeriod, value: \"00:00:30\"}")]
    [InlineData("env: ~", "env: [{name: Lameduck__GracePeriod, value: \"00:00:30\"}")]
    public void Empty_and_null_lists_are_filled_in_place(string env, string expected)
    {
        var yaml = $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: e
              annotations: {lameduck.dev/inject: "true", lameduck.dev/containers: "e=library"}
            spec:
              containers:
                - name: e
                  image: registry.example.com/e:1
                  {{env}}
                  ports: [{containerPort: 80}]
            """;

        var run = InjectRun.OnText(yaml);

        Assert.Contains(expected, run.Stdout, StringComparison.Ordinal);
        var e = Manifest.Container(run, "Pod/e", "e");
        Assert.Equal("00:00:30", e.Env("Lameduck__GracePeriod"));
        Assert.Equal("00:00:00", e.Env("Lameduck__PreStop"));
        Assert.Equal(InjectRun.OnText(run.Stdout).Stdout, run.Stdout);
    }

    [Fact]
    public void A_block_scalar_last_in_its_mapping_and_comments_after_it_stay_where_they_were()
    {
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: s\n  annotations: {}\nspec:\n  containers:\n    - name: s\n"
            + "      image: registry.example.com/s:1\n      command: [\"/bin/sh\", \"-c\"]\n      args:\n        - |\n          echo one\n          exec /app/s\n\n"
            + "      # a comment about the next container\n    - name: t\n      image: registry.example.com/t:1\n    # the end, no final newline";
        var optedIn = yaml.Replace("annotations: {}", "annotations: {lameduck.dev/inject: \"true\"}", StringComparison.Ordinal);

        var run = InjectRun.OnText(optedIn);

        var s = Manifest.Container(run, "Pod/s", "s");
        Assert.Equal("echo one\nexec /app/s\n", s.Args.Single().Value);
        Assert.Equal(5, s.PreStop!.SleepSeconds);
        Assert.Equal(5, Manifest.Container(run, "Pod/s", "t").PreStop!.SleepSeconds);
        Assert.Contains("      # a comment about the next container\n    - name: t\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("    # the end, no final newline", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(run.Stdout, InjectRun.OnText(run.Stdout).Stdout);
    }
}
