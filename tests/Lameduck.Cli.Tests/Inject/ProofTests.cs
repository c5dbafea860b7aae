using System.Text;
using System.Text.Json;
using Lameduck.Cli.Tests.Lint;

namespace Lameduck.Cli.Tests.Inject;

/// <summary>
/// The issue's proof: every manifest of the lint corpus and every example, opted in and injected, lints free of
/// the hazards inject exists to fix (budget and preStop rules LD001–LD003, the wrong stop signal LD004, no
/// shutdown delay LD006), except the findings listed below with the reason inject leaves them; and the output
/// still deserialises as Kubernetes objects with the official models (Debian's python3-kubernetes).
/// </summary>
public class ProofTests
{
    private static readonly string[] FixedRules = ["LD001", "LD002", "LD003", "LD004", "LD006"];

    /// <summary>Findings inject leaves on purpose: (file, rule) and why (docs/inject.md lists the same).</summary>
    private static readonly Dictionary<(string File, string Rule), string> Deliberate = new()
    {
        [("tests/Lameduck.Cli.Tests/Lint/Corpus/General/kind-list.yaml", "LD003")] = "a CronJob: batch pods run to completion and are left alone",
        [("tests/Lameduck.Cli.Tests/Lint/Corpus/LD003/positive-scratch-kill.yaml", "LD003")] = "the hook sends a signal, not a plain sleep: inject does not replace a hook it cannot read",
        [("tests/Lameduck.Cli.Tests/Lint/Corpus/LD004/positive-custom-php-fpm-image.yaml", "LD004")] = "a custom image without a command: its start command is unknown",
        [("tests/Lameduck.Cli.Tests/Lint/Corpus/LD004/positive-wrong-stop-signal.yaml", "LD004")] = "a custom image without a command: its start command is unknown",
        [("tests/Lameduck.Cli.Tests/Lint/Corpus/LD004/positive-official-nginx-behind-shell.yaml", "LD004")] = "a shell script that does not exec the server",
        [("tests/Lameduck.Cli.Tests/Lint/Corpus/LD004/positive-official-nginx-under-supervisord.yaml", "LD004")] = "supervisord stops the server with its own signal",
        [("tests/Lameduck.Cli.Tests/Lint/Corpus/LD004/positive-old-official-nginx-tag.yaml", "LD004")] = "an official nginx image before 1.19.5 (STOPSIGNAL SIGTERM) on Alpine: lameduck-init needs glibc",
    };

    /// <summary>Every corpus file and every example, repository-relative.</summary>
    public static IEnumerable<string> CorpusAndExamples()
    {
        var root = Lameduck.Testing.RepoPaths.Root;
        return Directory.EnumerateFiles(Path.Combine(root, "tests", "Lameduck.Cli.Tests", "Lint", "Corpus"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "examples", "kubernetes"), "*.yaml", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
    }

    public static TheoryData<string> Files() => [.. CorpusAndExamples()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Injected_manifest_lints_free_of_the_hazards_inject_fixes(string relative)
    {
        var input = InjectRun.OptIn(File.ReadAllText(Path.Combine(Lameduck.Testing.RepoPaths.Root, relative)));

        var injected = InjectRun.OnText(input);
        var lint = LintRun.Invoke(["-", "--format", "json"], injected.StdoutBytes);

        Assert.Equal(0, injected.ExitCode);
        Assert.True(lint.ExitCode is 0 or 1, lint.Stderr);
        var left = lint.Findings()
            .Select(f => (Rule: f.GetProperty("rule").GetString()!, Message: f.GetProperty("message").GetString()!))
            .Where(f => FixedRules.Contains(f.Rule) && !Deliberate.ContainsKey((relative, f.Rule)))
            .ToList();
        Assert.True(left.Count == 0, $"{relative} still has {string.Join("; ", left)}\n--- injected:\n{injected.Stdout}\n--- stderr:\n{injected.Stderr}");
    }

    [Fact]
    public void Deliberate_findings_are_still_there_and_inject_says_why()
    {
        // The list above must not rot: each entry is a finding lint still makes and a warning inject still prints.
        foreach (var ((file, rule), _) in Deliberate)
        {
            var injected = InjectRun.OnText(InjectRun.OptIn(File.ReadAllText(Path.Combine(Lameduck.Testing.RepoPaths.Root, file))));
            var lint = LintRun.Invoke(["-", "--format", "json"], injected.StdoutBytes);
            Assert.Contains(rule, lint.RuleLines().Select(r => r.Rule));
            Assert.Contains("left alone", injected.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1.30")]
    [InlineData("1.29")]
    public void Injected_manifests_deserialise_with_the_official_kubernetes_models(string kubeVersion)
    {
        // Two multi-document files: every corpus file, example and test manifest opted in, before and after inject.
        var before = new StringBuilder();
        var after = new StringBuilder();
        var manifests = Directory.EnumerateFiles(Path.Combine(Lameduck.Testing.RepoPaths.Root, "tests", "Lameduck.Cli.Tests", "Inject", "Manifests"), "*.yaml")
            .Select(f => Path.GetRelativePath(Lameduck.Testing.RepoPaths.Root, f));
        int workloads = 0;
        foreach (var relative in CorpusAndExamples().Concat(manifests))
        {
            var optedIn = InjectRun.OptIn(File.ReadAllText(Path.Combine(Lameduck.Testing.RepoPaths.Root, relative)));
            var injected = InjectRun.OnText(optedIn, "--kube-version", kubeVersion);
            Assert.Equal(0, injected.ExitCode);
            workloads += injected.Objects().Values.Count(o => Cli.Lint.Model.Workload.From(o) is not null);
            before.Append("---\n").Append(optedIn).Append('\n');
            after.Append("---\n").Append(injected.Stdout).Append('\n');
        }
        using var temp = new TempFolder();

        var input = Check(temp.Write("before.yaml", before.ToString()));
        var output = Check(temp.Write("after.yaml", after.ToString()));

        Assert.Empty(output.Errors);
        Assert.Empty(output.Changed);
        // python3-kubernetes 22.6 has Kubernetes 1.22's models. Fields newer than that which the input already had
        // (lifecycle.stopSignal, a StatefulSet's maxUnavailable) are dropped before and after; the only one inject adds
        // is the native preStop sleep (1.29+), which it writes only for Kubernetes 1.30 and later.
        var added = output.Dropped.Except(input.Dropped).ToList();
        if (kubeVersion == "1.29")
        {
            Assert.Empty(added);
        }
        else
        {
            Assert.All(added, d => Assert.EndsWith(".lifecycle.preStop.sleep", d, StringComparison.Ordinal));
            Assert.Contains(added, d => d.StartsWith("Deployment/api.", StringComparison.Ordinal)); // the Go app's
        }
        // Every workload was checked against its model (autoscaling/v2 HPAs have none in 22.6; they are context only).
        Assert.True(output.Checked.Length >= workloads, $"{output.Checked.Length} checked for {workloads} workloads");
        Assert.All(output.NoModel, n => Assert.StartsWith("HorizontalPodAutoscaler/", n, StringComparison.Ordinal));
    }

    private sealed record ModelCheck(string[] Checked, string[] NoModel, string[] Dropped, string[] Changed, string[] Errors);

    private static ModelCheck Check(string path)
    {
        var (exit, stdout, stderr) = Tool.Run(Tool.DebianPython, [Tool.Checker("k8s_models.py"), path]);
        Assert.True(exit == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        string[] List(string name) => [.. result.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        return new ModelCheck(List("checked"), List("no_model"), List("dropped"), List("changed"), List("errors"));
    }
}
