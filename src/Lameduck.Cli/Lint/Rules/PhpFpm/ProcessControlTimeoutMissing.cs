using System.Globalization;
using System.Text.RegularExpressions;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using YamlDotNet.Core;

namespace Lameduck.Cli.Lint.Rules.PhpFpm;

/// <summary>LD008: php-fpm configuration without a process_control_timeout that fits the grace period.</summary>
internal sealed partial class ProcessControlTimeoutMissing : LintRule
{
    public override string Id => "LD008";
    public override string Name => "PhpFpmProcessControlTimeout";
    public override Severity Severity => Severity.Warning;
    public override string Summary => "A php-fpm configuration in a ConfigMap lacks process_control_timeout, or sets one longer than the grace period allows.";

    public override string Why =>
        "On SIGQUIT the php-fpm master asks its workers to finish, but it waits for them only process_control_timeout " +
        "(default 0: not at all) before killing them, so even a graceful stop cuts every running request. The timeout " +
        "must also end before the kubelet's SIGKILL: it has to fit in terminationGracePeriodSeconds minus the preStop sleep.";

    public override string FixYaml => """
        data:
          zz-shutdown.conf: |
            [global]
            process_control_timeout = 20s   ; < terminationGracePeriodSeconds - preStop sleep
        """;

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var configMap in context.Manifests.ConfigMaps)
        {
            var data = configMap.Root.MappingAt("data");
            var fpm = (data?.Entries ?? []).Where(e => e.Value is YamlScalar s && LooksLikePhpFpm(s.Value)).ToList();
            if (fpm.Count == 0) continue;

            var budget = Budget(configMap, context);
            var setting = fpm.Select(e => (Entry: e, Match: Directive().Match(((YamlScalar)e.Value).Value))).FirstOrDefault(x => x.Match.Success);
            if (setting.Match is null)
            {
                yield return Report(configMap, null, fpm[0].Key,
                    $"php-fpm configuration '{fpm[0].KeyText}' does not set process_control_timeout (default 0): php-fpm kills running requests when it stops",
                    $"add '[global]' 'process_control_timeout = {Math.Max(1, budget.Seconds - 5)}s' (less than {budget.Seconds} s: {budget.Why})");
                continue;
            }

            var scalar = (YamlScalar)setting.Entry.Value;
            var at = LineOf(scalar, setting.Match.Index) ?? setting.Entry.Key;
            var seconds = ParseSeconds(setting.Match.Groups[1].Value);
            if (seconds == 0)
            {
                yield return Report(configMap, null, at,
                    "process_control_timeout is 0: php-fpm kills running requests when it stops",
                    $"set process_control_timeout = {Math.Max(1, budget.Seconds - 5)}s (less than {budget.Seconds} s: {budget.Why})");
            }
            else if (seconds >= budget.Seconds)
            {
                yield return Report(configMap, null, at,
                    $"process_control_timeout is {setting.Match.Groups[1].Value} but only {budget.Seconds} s are left ({budget.Why}): SIGKILL cuts the requests first",
                    $"set process_control_timeout below {budget.Seconds}s, or raise terminationGracePeriodSeconds of the pods that mount it");
            }
        }
    }

    // The time php-fpm has after SIGTERM in the tightest pod that mounts the ConfigMap (30 s when none does).
    private static (long Seconds, string Why) Budget(KubeObject configMap, LintContext context)
    {
        (long Seconds, string Why)? tightest = null;
        foreach (var workload in context.Manifests.WorkloadsMounting(configMap.Namespace, configMap.Name))
        {
            var sleep = (long)Math.Ceiling(workload.Pod.Containers.Max(c => c.PreStop?.SleepSeconds) ?? 0);
            var left = workload.Pod.GracePeriodSeconds - sleep;
            if (tightest is null || left < tightest.Value.Seconds)
            {
                tightest = (left, $"{workload.Object.Id}: terminationGracePeriodSeconds {workload.Pod.GracePeriodSeconds}" + (sleep > 0 ? $" - preStop sleep {sleep}" : ""));
            }
        }
        return tightest ?? (PodSpec.DefaultGracePeriodSeconds, "the default terminationGracePeriodSeconds, no pod in the input mounts it");
    }

    private static bool LooksLikePhpFpm(string text) => PhpFpmMarker().IsMatch(text);

    // In a literal block scalar, content line i sits i lines below the line holding the '|' indicator.
    private static YamlNode? LineOf(YamlScalar scalar, int index)
    {
        if (scalar.Style != ScalarStyle.Literal) return null;
        int lines = scalar.Value.AsSpan(0, index).Count('\n');
        return new YamlScalar(scalar.File, scalar.Line + 1 + lines, 1, "", ScalarStyle.Plain);
    }

    // php-fpm durations: a number with an optional s, m, h or d suffix; seconds by default.
    private static double ParseSeconds(string text)
    {
        var unit = char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return 0;
        return unit switch { 'm' => n * 60, 'h' => n * 3600, 'd' => n * 86400, _ => n };
    }

    [GeneratedRegex(@"^\s*(\[global\]|\[www\]|pm\s*=|pm\.max_children\s*=)", RegexOptions.Multiline)]
    private static partial Regex PhpFpmMarker();

    [GeneratedRegex(@"^[ \t]*process_control_timeout[ \t]*=[ \t]*""?(\d+(?:\.\d+)?[smhd]?)""?", RegexOptions.Multiline)]
    private static partial Regex Directive();
}
