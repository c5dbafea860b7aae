using System.CommandLine;
using System.Text;
using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lint.Output;
using Lameduck.Cli.Lint.Rules;

namespace Lameduck.Cli.Lint;

/// <summary>
/// <c>lameduck lint PATH... | - [--format text|short|json|sarif] [--kube-version 1.30] [--ignore LD004,...] [--exclude GLOB]
/// [--config FILE] [--strict] [--output FILE]</c>: finds shutdown hazards in Kubernetes manifests. Exit 0 clean (or
/// warnings only), 1 on an error-level finding, 2 on unusable input (a file that cannot be parsed only with --strict).
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
            Description = "Report format: text, short (path:line: LD006 message), json or sarif (SARIF 2.1.0 for GitHub code scanning)",
            DefaultValueFactory = _ => "text",
            HelpName = "text|short|json|sarif",
        };
        var kubeVersion = new Option<string?>("--kube-version")
        {
            Description = $"Kubernetes version the manifests target (default {KubeVersion.Default}); decides the fixes offered (native preStop sleep from 1.30)",
            HelpName = "VERSION",
        };
        var disable = new Option<string[]>("--ignore", "--disable")
        {
            Description = "Rules to skip, comma-separated or repeated: --ignore LD004,LD005",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "RULES",
        };
        var exclude = new Option<string[]>("--exclude")
        {
            Description = "Files not to read, as globs (repeatable): --exclude 'vendor/**' --exclude '*.tpl.yaml'",
            HelpName = "GLOB",
        };
        var config = new Option<string?>("--config")
        {
            Description = $"Read settings (ignore, exclude, strict, kube-version) from FILE instead of the nearest {LintConfig.FileName}",
            HelpName = "FILE",
        };
        var strict = new Option<bool>("--strict")
        {
            Description = "Fail the run (exit 2) when a file cannot be parsed, instead of reporting it and linting the others",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the report to FILE instead of stdout",
            HelpName = "FILE",
        };

        var command = new Command("lint", "Find shutdown hazards (dropped requests on rollout) in Kubernetes manifests")
        {
            paths, format, kubeVersion, disable, exclude, config, strict, output,
        };
        command.SetAction(parseResult =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            LintSettings settings;
            try
            {
                var flags = new LintSettings.Flags(
                    parseResult.GetValue(paths) ?? [], parseResult.GetValue(format) ?? "text", parseResult.GetValue(kubeVersion),
                    parseResult.GetValue(disable) ?? [], parseResult.GetValue(output), parseResult.GetValue(exclude) ?? [],
                    parseResult.GetValue(strict), parseResult.GetValue(config));
                settings = LintSettings.From(flags, LintConfig.Find(flags.ConfigFile, Directory.GetCurrentDirectory()));
            }
            catch (UsageException e)
            {
                return CommandError.Usage(stderr, "lint", e.Message);
            }
            var result = new Linter(settings.Rules, settings.KubeVersion, stdin, settings.Exclude, settings.Strict).Run(settings.Paths);
            WriteDiagnostics(result, stderr);
            return WriteReport(result, settings, parseResult.InvocationConfiguration.Output, stderr) ? result.ExitCode : ExitCodes.Usage;
        });
        return command;
    }

    // Unreadable inputs and skipped documents go to stderr, so stdout stays a clean report.
    private static void WriteDiagnostics(LintResult result, TextWriter stderr)
    {
        foreach (var error in result.InputErrors) CommandError.Write(stderr, "lint", error.Message);
        foreach (var error in result.UnreadableFiles)
        {
            if (result.Strict) CommandError.Write(stderr, "lint", error.Message);
            else stderr.WriteLine($"lameduck lint: warning: {error.Message} (not linted; the other files are; --strict makes this fail the run)");
        }
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
        if (format is ReportFormat.Text or ReportFormat.Short)
        {
            var text = new StringWriter();
            if (format == ReportFormat.Text) TextReport.Write(result, text, TextReport.TerminalWidth());
            else ShortReport.Write(result, text);
            return text.ToString();
        }
        using var buffer = new MemoryStream();
        if (format == ReportFormat.Json) JsonReport.Write(result, buffer);
        else SarifReport.Write(result, RuleCatalog.All, buffer, Directory.GetCurrentDirectory());
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
