using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Model;

/// <summary>
/// The rules an object opts out of with the annotation <c>lameduck.dev/lint-ignore: "LD006,LD005: reason"</c>: rule
/// ids separated by commas or spaces, an optional reason after a colon (kept for the reader, not checked), on the
/// object's <c>metadata.annotations</c> or on its pod template's.
/// </summary>
/// <example><c>lameduck.dev/lint-ignore: "LD007: Recreate because the volume is ReadWriteOnce"</c></example>
internal static class Suppression
{
    /// <summary>The annotation's name.</summary>
    public const string Annotation = "lameduck.dev/lint-ignore";

    /// <summary>The rule ids (upper case) <paramref name="obj"/> suppresses; empty when it has no annotation.</summary>
    public static IReadOnlySet<string> RulesOf(KubeObject obj)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        Add(obj.Root.TextAt("metadata", "annotations", Annotation), rules);
        // The pod template's, where the workload kinds keep it (read here without building the whole pod model again).
        Add(obj.Root.TextAt("spec", "template", "metadata", "annotations", Annotation), rules);
        Add(obj.Root.TextAt("spec", "jobTemplate", "spec", "template", "metadata", "annotations", Annotation), rules);
        return rules;
    }

    private static void Add(string? value, HashSet<string> rules)
    {
        if (value is null) return;
        int colon = value.IndexOf(':');
        var ids = colon < 0 ? value : value[..colon];
        foreach (var id in ids.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)) rules.Add(id.ToUpperInvariant());
    }
}
