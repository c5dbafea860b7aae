using System.CommandLine;
using Lameduck.Cli.Inject.Mutation;
using Lameduck.Cli.Inject.Output;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Inject;

/// <summary>
/// <c>lameduck inject PATH... | - [--kube-version 1.30] [--init-image IMAGE] [--dry-run | --in-place]</c>: writes the
/// manifests back with every opted-in workload made safe to roll (docs/inject.md). Output goes to stdout (a Helm
/// post-renderer: <c>helm install --post-renderer lameduck --post-renderer-args inject --post-renderer-args -</c>).
/// Exit 0 when done (containers left alone are warnings on stderr), 2 on unusable input or options, with
/// nothing written.
/// </summary>
/// <example>
/// <code>
/// var root = new RootCommand();
/// root.Subcommands.Add(InjectCommand.Create());
/// return root.Parse(["inject", "k8s/", "--dry-run"]).Invoke();
/// </code>
/// </example>
public static class InjectCommand
{
    /// <summary>Exit code for unusable input or options (as lint's).</summary>
    public const int UnusableInput = 2;

    /// <summary>Builds the <c>inject</c> subcommand.</summary>
    /// <param name="openStandardInput">Opens what <c>-</c> reads; the process's stdin when null (tests pass their own).</param>
    /// <param name="openStandardOutput">Opens where the manifests go; the process's stdout when null. Bytes, not text: untouched documents are copied byte for byte.</param>
    public static Command Create(Func<Stream>? openStandardInput = null, Func<Stream>? openStandardOutput = null)
    {
        var stdin = openStandardInput ?? Console.OpenStandardInput;
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Manifest files or folders (searched recursively for .yaml, .yml, .json); - reads stdin (helm template output, a Helm post-renderer)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var kubeVersion = new Option<string>("--kube-version")
        {
            Description = "Kubernetes version the pods run on: from 1.30 preStop delays use the native sleep action, before they use lameduck-init sleep",
            DefaultValueFactory = _ => KubeVersion.Default.ToString(),
            HelpName = "VERSION",
        };
        var initImage = new Option<string>("--init-image")
        {
            Description = "Image of the init container that copies lameduck-init into pods that need it",
            DefaultValueFactory = _ => InjectSettings.DefaultInitImage,
            HelpName = "IMAGE",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would change as a unified diff instead of the manifests" };
        var inPlace = new Option<bool>("--in-place", "-i") { Description = "Rewrite the files that change instead of printing the manifests" };

        var command = new Command("inject", "Make opted-in workloads (annotation lameduck.dev/inject: \"true\") shut down without dropping requests")
        {
            paths, kubeVersion, initImage, dryRun, inPlace,
        };
        command.SetAction(parseResult =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            var pathList = parseResult.GetValue(paths) ?? [];
            string? usage = null;
            if (pathList.Length == 0) usage = "PATH: name at least one manifest file or folder, or - for stdin";
            else if (!KubeVersion.TryParse(parseResult.GetValue(kubeVersion)!, out _)) usage = $"--kube-version: '{parseResult.GetValue(kubeVersion)}' is not a Kubernetes version (expected e.g. 1.30)";
            else if (string.IsNullOrWhiteSpace(parseResult.GetValue(initImage))) usage = "--init-image: name an image";
            else if (parseResult.GetValue(dryRun) && parseResult.GetValue(inPlace)) usage = "--dry-run and --in-place: choose one";
            else if (parseResult.GetValue(inPlace) && pathList.Contains("-")) usage = "--in-place: stdin (-) has no file to rewrite";
            if (usage is not null)
            {
                stderr.WriteLine($"lameduck inject: {usage}");
                return UnusableInput;
            }
            KubeVersion.TryParse(parseResult.GetValue(kubeVersion)!, out var version);
            var settings = new InjectSettings(version, parseResult.GetValue(initImage)!.Trim());
            var run = new ManifestInjector(settings, stdin).Run(pathList);
            return Report(run, parseResult.GetValue(dryRun), parseResult.GetValue(inPlace), openStandardOutput ?? Console.OpenStandardOutput, stderr);
        });
        return command;
    }

    private static int Report(InjectRun run, bool dryRun, bool inPlace, Func<Stream> openStdout, TextWriter stderr)
    {
        foreach (var error in run.InputErrors) stderr.WriteLine($"lameduck inject: error: {error.Message}");
        if (run.InputErrors.Count > 0)
        {
            // Half a set of manifests is worse than none: a post-renderer's output is applied as it is.
            stderr.WriteLine("lameduck inject: nothing written: fix the input above");
            return UnusableInput;
        }
        foreach (var (_, outcome) in run.Outcomes)
        {
            foreach (var warning in outcome.Warnings) stderr.WriteLine($"lameduck inject: warning: {warning}");
        }
        foreach (var note in run.Notes) stderr.WriteLine($"lameduck inject: note: {note}");

        if (inPlace)
        {
            foreach (var file in run.Files.Where(f => f.Changed))
            {
                try
                {
                    File.WriteAllBytes(file.File.File.DisplayPath, file.Bytes);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"lameduck inject: error: cannot write {file.File.File.DisplayPath}: {e.Message}");
                    return UnusableInput;
                }
            }
        }
        else
        {
            using var stdout = openStdout();
            if (dryRun)
            {
                foreach (var file in run.Files.Where(f => f.Changed))
                {
                    var diff = UnifiedDiff.Write(file.File.File.DisplayPath, file.File.Text, file.Splices);
                    stdout.Write(System.Text.Encoding.UTF8.GetBytes(diff));
                }
            }
            else
            {
                WriteConcatenated(run.Files, stdout);
            }
            stdout.Flush();
        }
        stderr.WriteLine($"lameduck inject: {Summary(run, inPlace)}");
        return 0;
    }

    // Several files become one stream of documents: a "---" line between files (unless the next starts with one).
    private static void WriteConcatenated(IReadOnlyList<InjectedFile> files, Stream stdout)
    {
        for (int i = 0; i < files.Count; i++)
        {
            var bytes = files[i].Bytes;
            if (i > 0)
            {
                var previous = files[i - 1].Text;
                if (previous.Length > 0 && !previous.EndsWith('\n')) stdout.WriteByte((byte)'\n');
                if (!files[i].Text.StartsWith("---", StringComparison.Ordinal)) stdout.Write("---\n"u8);
            }
            stdout.Write(bytes);
        }
    }

    private static string Summary(InjectRun run, bool inPlace)
    {
        if (run.Outcomes.Count == 0) return "no workload opted in (annotation lameduck.dev/inject: \"true\" on its pod template); output unchanged";
        int injected = run.Outcomes.Count(o => o.Outcome.State == InjectionState.Injected);
        int already = run.Outcomes.Count(o => o.Outcome.State == InjectionState.AlreadyInjected);
        int refused = run.Outcomes.Count(o => o.Outcome.State == InjectionState.Refused);
        int skipped = run.Outcomes.Sum(o => o.Outcome.Containers.Count(c => c.Status.StartsWith("left alone", StringComparison.Ordinal)));
        var text = $"{run.Outcomes.Count} workload(s) opted in: {injected} injected, {already} already injected, {refused} left alone";
        if (skipped > 0) text += $"; {skipped} container(s) left alone (warnings above)";
        if (inPlace) text += $"; {run.Files.Count(f => f.Changed)} file(s) rewritten";
        return text;
    }
}
