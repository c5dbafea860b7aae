using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Lameduck.Cli.Tests.Lint.Precision;

/// <summary>
/// Precision and recall of <c>lameduck lint</c> on a corpus of realistic manifests (written here, modelled on
/// demos, GitOps installers, monitoring stacks, ingress controllers, operators, mesh samples) whose expected
/// verdicts are <c># expect: LDnnn</c> markers on the lines a finding must point at. Each file is one input set,
/// linted alone with every rule. A finding on a marked (rule, line) is a true positive, any other finding a false
/// positive, a marker without its finding a false negative. <c>HeldOut/</c> was written before the rules were tuned
/// and never tuned against; <c>Tuning/</c> is what the rules were tuned on. Unlike the rule corpus (exact findings per
/// file), this corpus measures: it passes at the issue's targets, precision and recall both at least 90 %.
/// </summary>
public partial class PrecisionRecallTests(ITestOutputHelper output)
{
    private const double Target = 0.90;

    private static string Folder => Path.Combine(RepoPaths.Root, "tests", "Lameduck.Cli.Tests", "Lint", "Precision");

    [Theory]
    [InlineData("HeldOut")]
    [InlineData("Tuning")]
    public void Each_part_meets_the_targets(string part)
    {
        var score = Measure(Path.Combine(Folder, part));
        output.WriteLine($"{part}: {score}");
        Assert.True(score.Files > 0, $"{part} holds no manifest");
        Assert.True(score.Precision >= Target, $"{part}: precision {score.Precision:P1} < {Target:P0}\n{score.Misses}");
        Assert.True(score.Recall >= Target, $"{part}: recall {score.Recall:P1} < {Target:P0}\n{score.Misses}");
    }

    [Fact]
    public void The_whole_corpus_meets_the_targets()
    {
        var score = Measure(Folder);
        output.WriteLine($"all: {score}");
        Assert.True(score.Precision >= Target && score.Recall >= Target, $"{score}\n{score.Misses}");
    }

    [Fact]
    public void No_valid_manifest_of_the_corpus_fails_the_run()
    {
        foreach (var file in Directory.EnumerateFiles(Folder, "*.yaml", SearchOption.AllDirectories))
        {
            var run = LintRun.Invoke([file, "--format", "json", "--strict"]);
            Assert.True(run.ExitCode is 0 or 1, $"{file}: exit {run.ExitCode}: {run.Stderr}");
        }
    }

    /// <summary>The figures of one part of the corpus.</summary>
    public sealed record Score(int Files, int Objects, int TruePositives, int FalsePositives, int FalseNegatives, string Misses)
    {
        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

        public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

        public override string ToString() =>
            $"{Files} files, {Objects} objects, {TruePositives + FalseNegatives} expected findings: " +
            $"TP {TruePositives}, FP {FalsePositives}, FN {FalseNegatives}, precision {Precision:P1}, recall {Recall:P1}";
    }

    private static Score Measure(string folder)
    {
        int files = 0, objects = 0, tp = 0, fp = 0, fn = 0;
        var misses = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files++;
            var lines = File.ReadAllLines(file);
            // Objects as lint counts them (kind: List items included), from its own summary line.
            objects += int.Parse(ObjectCount().Match(LintRun.Invoke([file, "--format", "short"]).Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var expected = new List<(string Rule, int Line)>();
            for (int i = 0; i < lines.Length; i++)
            {
                if (Marker().Match(lines[i]) is { Success: true } m)
                    expected.AddRange(m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Select(r => (r, i + 1)));
            }
            var found = LintRun.Invoke([file, "--format", "json"]).RuleLines();
            var name = Path.GetRelativePath(Folder, file);
            foreach (var f in found)
            {
                if (expected.Remove(f)) tp++;
                else { fp++; misses.Add($"FP {name}:{f.Line} {f.Rule}"); }
            }
            fn += expected.Count;
            misses.AddRange(expected.Select(e => $"FN {name}:{e.Line} {e.Rule}"));
        }
        return new Score(files, objects, tp, fp, fn, string.Join('\n', misses));
    }

    [GeneratedRegex(@"#\s*expect:\s*(LD\d{3}(?:\s*,\s*LD\d{3})*)\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\((\d+) objects? in 1 file linted")]
    private static partial Regex ObjectCount();
}
