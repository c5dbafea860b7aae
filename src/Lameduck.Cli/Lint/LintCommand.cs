using System.CommandLine;
using System.Text;
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
    /// <summary>Exit code for input that cannot be linted, a missing PATH and invalid option values.</summary>
    public const int UnusableInput = 2;

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
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;

            var inputs = parseResult.GetValue(paths) ?? [];
            if (inputs.Length == 0)
            {
                stderr.WriteLine("lameduck lint: PATH: name at least one manifest file or folder, or - for stdin");
                return UnusableInput;
            }
            var formatText = parseResult.GetValue(format) ?? "text";
            if (formatText is not ("text" or "json" or "sarif"))
            {
                stderr.WriteLine($"lameduck lint: --format: '{formatText}' is not a format (text, json or sarif)");
                return UnusableInput;
            }
            var versionText = parseResult.GetValue(kubeVersion)!;
            if (!KubeVersion.TryParse(versionText, out var version))
            {
                stderr.WriteLine($"lameduck lint: --kube-version: '{versionText}' is not a Kubernetes version (expected e.g. 1.30)");
                return UnusableInput;
            }
            var disabled = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in (parseResult.GetValue(disable) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (RuleCatalog.Find(id) is not { } rule)
                {
                    stderr.WriteLine($"lameduck lint: --disable: '{id}' is not a rule (rules: {string.Join(", ", RuleCatalog.All.Select(r => r.Id))})");
                    return UnusableInput;
                }
                disabled.Add(rule.Id);
            }

            var rules = RuleCatalog.All.Where(r => !disabled.Contains(r.Id)).ToList();
            var result = new Linter(rules, version, stdin).Run(inputs);

            foreach (var error in result.InputErrors) stderr.WriteLine($"lameduck lint: error: {error.Message}");
            var skippedLabel = result.ObjectCount == 0 ? "error" : "note";
            foreach (var (file, line, reason) in result.Skipped) stderr.WriteLine($"lameduck lint: {skippedLabel}: {file}:{line}: {reason}");
            if (result.ObjectCount == 0 && result.InputErrors.Count == 0) stderr.WriteLine("lameduck lint: error: no Kubernetes object in the input, nothing to lint");

            var report = Render(result, RuleCatalog.All, formatText);
            var target = parseResult.GetValue(output);
            if (target is null)
            {
                stdout.Write(report);
            }
            else
            {
                try
                {
                    File.WriteAllText(target, report, new UTF8Encoding(false));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"lameduck lint: --output: cannot write '{target}': {e.Message}");
                    return UnusableInput;
                }
            }
            return result.ExitCode;
        });
        return command;
    }

    // SARIF lists every rule (also disabled ones) so ruleIndex stays stable across runs.
    private static string Render(LintResult result, IReadOnlyList<LintRule> rules, string format)
    {
        if (format == "text")
        {
            var text = new StringWriter();
            TextReport.Write(result, text);
            return text.ToString();
        }
        using var buffer = new MemoryStream();
        if (format == "json") JsonReport.Write(result, buffer);
        else SarifReport.Write(result, rules, buffer, Directory.GetCurrentDirectory());
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
