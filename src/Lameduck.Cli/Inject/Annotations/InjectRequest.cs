using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Cli.Lint.Rules;
using Lameduck.Text;

namespace Lameduck.Cli.Inject.Annotations;

/// <summary>A workload's opt-in and its settings, read from its pod template's annotations.</summary>
/// <param name="OptedIn">True when the workload is to be injected.</param>
/// <param name="Delay">The lame-duck window the annotation asks for; null for each kind's default.</param>
/// <param name="KubeVersion">The targeted Kubernetes version (annotation, else the command line's).</param>
/// <param name="InitImage">The lameduck-init image for the init container.</param>
/// <param name="Modes">Per-container modes by container name.</param>
/// <param name="Problems">Annotation values that could not be read; the workload is left alone when there are any.</param>
internal sealed record InjectRequest(
    bool OptedIn,
    TimeSpan? Delay,
    KubeVersion KubeVersion,
    string InitImage,
    IReadOnlyDictionary<string, ContainerMode> Modes,
    IReadOnlyList<string> Problems)
{
    /// <summary>Reads the annotations of <paramref name="workload"/>'s pod template.</summary>
    /// <param name="optedInByDefault">True where the namespace opted in (webhook): only <c>"false"</c> opts out.</param>
    public static InjectRequest Read(Workload workload, InjectSettings settings, bool optedInByDefault)
    {
        var annotations = workload.Template.MappingAt("metadata", "annotations");
        var problems = new List<string>();
        string? Text(string name) => annotations?[name] is YamlScalar { IsNull: false } s ? s.Value : null;

        var inject = Text(InjectAnnotations.Inject);
        bool optedIn = inject switch
        {
            null => optedInByDefault,
            "true" => true,
            "false" => false,
            _ => Problem(problems, $"{InjectAnnotations.Inject}: '{inject}' is neither \"true\" nor \"false\"", false),
        };

        TimeSpan? delay = null;
        if (Text(InjectAnnotations.Delay) is { } delayText)
        {
            if (!DurationText.TryParse(delayText, out var d, out var error)) problems.Add($"{InjectAnnotations.Delay}: {error}");
            else if (d <= TimeSpan.Zero) problems.Add($"{InjectAnnotations.Delay}: '{delayText}' must be longer than 0");
            else delay = d;
        }

        var version = settings.KubeVersion;
        if (Text(InjectAnnotations.KubeVersion) is { } versionText)
        {
            if (KubeVersion.TryParse(versionText, out var annotated)) version = annotated;
            else problems.Add($"{InjectAnnotations.KubeVersion}: '{versionText}' is not a Kubernetes version (expected e.g. 1.30)");
        }

        var modes = new Dictionary<string, ContainerMode>(StringComparer.Ordinal);
        if (Text(InjectAnnotations.Containers) is { } modesText) ReadModes(modesText, workload, modes, problems);

        return new InjectRequest(optedIn, delay, version, Text(InjectAnnotations.InitImage) ?? settings.InitImage, modes, problems);
    }

    /// <summary>The mode the annotation gives <paramref name="container"/>.</summary>
    public ContainerMode ModeOf(Container container) => Modes.GetValueOrDefault(container.Name, ContainerMode.Auto);

    private static void ReadModes(string text, Workload workload, Dictionary<string, ContainerMode> modes, List<string> problems)
    {
        var names = workload.Pod.Containers.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            var name = eq > 0 ? pair[..eq].Trim() : "";
            ContainerMode? mode = eq > 0 ? ParseMode(pair[(eq + 1)..].Trim()) : null;
            if (mode is null)
            {
                problems.Add($"{InjectAnnotations.Containers}: '{pair}' is not NAME=MODE (modes: library, lameduck-init, prestop, skip)");
            }
            else if (!names.Contains(name))
            {
                problems.Add($"{InjectAnnotations.Containers}: there is no container '{name}' (containers: {string.Join(", ", names)})");
            }
            else
            {
                modes[name] = mode.Value;
            }
        }
    }

    private static ContainerMode? ParseMode(string text) => text switch
    {
        "library" => ContainerMode.Library,
        "lameduck-init" => ContainerMode.LameduckInit,
        "prestop" => ContainerMode.PreStop,
        "skip" => ContainerMode.Skip,
        "auto" => ContainerMode.Auto,
        _ => null,
    };

    private static bool Problem(List<string> problems, string problem, bool result)
    {
        problems.Add(problem);
        return result;
    }
}
