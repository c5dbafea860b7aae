using System.CommandLine;
using System.Text;
using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lint.Output;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>
/// <c>lameduck lint PATH... | - [--format text|json|sarif] [--kube-version 1.30] [--disable LD004,...] [--output FILE]</c>:
/// finds shutdown hazards in Kubernetes manifests. Exit 0 clean (or warnings only), 1 on an error-level
/// finding, 2 on unusable input.
/// </summary>
/// <example>
/// <code>
/// var root = new RootCommand();
/// root.Subcommands.Add(LintCommand.Create());
/// return root.Parse(["lint", "k8s/", "--format", "sarif", "--output", "lint.sarif"]).Invoke();
/// </code>
/// </example>
public static class LintCommand
{
    /// <summary>Builds the <c>lint</c> subcommand.</summary>
    /// <param name="openStandardInput">Opens what <c>-</c> reads; the process's stdin when null (tests pass their own).</param>
    public static Command Create(Func<Stream>? openStandardInput = null)
    {
        var stdin = openStandardInput ?? Console.OpenStandardInput;
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Manifest files or folders (searched recursively for .yaml, .yml, .json); - reads stdin (e.g. helm template output)",
            // Checked in the action (not by arity) so that a missing PATH exits 2 like other unusable input.
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Report format: text, json or sarif (SARIF 2.1.0 for GitHub code scanning)",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json|sarif",
        };
        var kubeVersion = new Option<string>("--kube-version")
        {
            Description = "Kubernetes version the manifests target; decides the fixes offered (native preStop sleep from 1.30)",
            DefaultValueFactory = _ => KubeVersion.Default.ToString(),
            HelpName = "VERSION",
        };
        var disable = new Option<string[]>("--disable")
        {
            Description = "Rules to skip, comma-separated or repeated: --disable LD004,LD005",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "RULES",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the report to FILE instead of stdout",
            HelpName = "FILE",
        };

        var command = new Command("lint", "Find shutdown hazards (dropped requests on rollout) in Kubernetes manifests")
        {
            paths, format, kubeVersion, disable, output,
        };
        command.SetAction(parseResult =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            LintSettings settings;
            try
            {
                settings = LintSettings.From(
                    parseResult.GetValue(paths) ?? [], parseResult.GetValue(format) ?? "text", parseResult.GetValue(kubeVersion)!,
                    parseResult.GetValue(disable) ?? [], parseResult.GetValue(output));
            }
            catch (UsageException e)
            {
                return CommandError.Usage(stderr, "lint", e.Message);
            }
            var result = new Linter(settings.Rules, settings.KubeVersion, stdin).Run(settings.Paths);
            WriteDiagnostics(result, stderr);
            return WriteReport(result, settings, parseResult.InvocationConfiguration.Output, stderr) ? result.ExitCode : ExitCodes.Usage;
        });
        return command;
    }

    // Unreadable inputs and skipped documents go to stderr, so stdout stays a clean report.
    private static void WriteDiagnostics(LintResult result, TextWriter stderr)
    {
        foreach (var error in result.InputErrors) CommandError.Write(stderr, "lint", error.Message);
        var label = result.ObjectCount == 0 ? "error" : "note";
        foreach (var (file, line, reason) in result.Skipped) stderr.WriteLine($"lameduck lint: {label}: {file}:{line}: {reason}");
        if (result.ObjectCount == 0 && result.InputErrors.Count == 0) CommandError.Write(stderr, "lint", "no Kubernetes object in the input, nothing to lint");
    }

    private static bool WriteReport(LintResult result, LintSettings settings, TextWriter stdout, TextWriter stderr)
    {
        var report = Render(result, settings.Format);
        if (settings.OutputFile is null)
        {
            stdout.Write(report);
            return true;
        }
        try
        {
            File.WriteAllText(settings.OutputFile, report, new UTF8Encoding(false));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CommandError.Write(stderr, "lint", $"--output: cannot write '{settings.OutputFile}': {e.Message}");
            return false;
        }
    }

    // SARIF lists every rule (also disabled ones) so ruleIndex stays stable across runs.
    private static string Render(LintResult result, ReportFormat format)
    {
        if (format == ReportFormat.Text)
        {
            var text = new StringWriter();
            TextReport.Write(result, text);
            return text.ToString();
        }
        using var buffer = new MemoryStream();
        if (format == ReportFormat.Json) JsonReport.Write(result, buffer);
        else SarifReport.Write(result, RuleCatalog.All, buffer, Directory.GetCurrentDirectory());
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
