using System.Globalization;
using System.Text.RegularExpressions;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Knowledge;
using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Presets;
using YamlDotNet.Core;

namespace Lameduck.Cli.Lint.Rules.PhpFpm;

/// <summary>
/// LD008: php-fpm configuration without a process_control_timeout that fits the grace period: in a ConfigMap, or
/// the official image's own default (0) when a php-fpm container mounts no php-fpm configuration at all.
/// </summary>
internal sealed partial class ProcessControlTimeoutMissing : LintRule
{
    public override string Id => "LD008";
    public override string Name => "PhpFpmProcessControlTimeout";
    public override Severity Severity => Severity.Warning;
    public override string Summary => "A php-fpm configuration (a ConfigMap, or the official image's default) lacks process_control_timeout, or sets one longer than the grace period allows.";

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

    public override string NotReported =>
        "php-fpm containers whose configuration is not in the input (a ConfigMap mounted from elsewhere, or baked into a custom image): lint cannot read it.";

    public override IEnumerable<Finding> Check(LintContext context) => InConfigMaps(context).Concat(ImageDefaults(context));

    // A php-fpm container of the official image that mounts no php-fpm configuration runs with the image's files, which
    // leave process_control_timeout at php-fpm's default, 0 (the shutdown contract's record of the image says where).
    private IEnumerable<Finding> ImageDefaults(LintContext context)
    {
        foreach (var workload in context.Manifests.Workloads)
        {
            if (workload.IsBatch) continue;
            foreach (var container in workload.Pod.Containers)
            {
                if (container.Image is not { } image || container.ImageNode is not { } imageNode) continue;
                if (ServerPresets.OfficialImageOf(image) is not var (preset, official) || preset != ServerPresets.PhpFpm) continue;
                if (Servers.Detect(container) is not var (server, _) || server != ServerPresets.PhpFpm) continue; // command replaced: not php-fpm
                if (MountsPhpFpmConfiguration(workload, context)) continue; // judged in the ConfigMap above
                var imageDefault = official.Defaults.First(d => d.Setting == "process_control_timeout");
                var left = workload.Pod.GracePeriodSeconds - (long)Math.Ceiling(container.PreStop?.SleepSeconds ?? 0);
                yield return Report(workload.Object, container, imageNode,
                    $"php-fpm runs with the image's default process_control_timeout {imageDefault.Value} ({image.Name}:{image.Tag} sets none in {imageDefault.Where}): {imageDefault.Consequence}",
                    $"mount a ConfigMap into /usr/local/etc/php-fpm.d/ with '[global]' 'process_control_timeout = {Math.Max(1, left - 5)}s' " +
                    $"(less than the {left} s left after SIGTERM), or run php-fpm under lameduck-init --preset php-fpm, which checks it at start");
            }
        }
    }

    // True when a mounted ConfigMap holds php-fpm configuration, or when one is not in the input (its content, and so
    // the process_control_timeout php-fpm runs with, is unknown: no finding on a guess).
    private static bool MountsPhpFpmConfiguration(Workload workload, LintContext context) =>
        workload.Pod.ConfigMapVolumes.Any(name => context.Manifests.FindConfigMap(workload.Object, name) is not { } configMap ||
            (configMap.Root.MappingAt("data")?.Entries ?? []).Any(e => e.Value is YamlScalar s && LooksLikePhpFpm(s.Value)));

    private IEnumerable<Finding> InConfigMaps(LintContext context)
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
        foreach (var workload in context.Manifests.WorkloadsMounting(configMap, configMap.Name))
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
