using Lameduck.Cli.Inject;
using Lameduck.Cli.Inject.Documents;
using Lameduck.Cli.Inject.Mutation;
using Lameduck.Cli.Inject.Rendering;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Webhook.Admission;

/// <summary>
/// The webhook's mutation of one pod: the very <see cref="WorkloadInjector"/> <c>lameduck inject</c> runs, on the
/// pod read into lint's model, answered as a JSON Patch.
/// </summary>
internal sealed class PodAdmission(InjectSettings settings)
{
    private readonly WorkloadInjector _injector = new(settings);

    /// <summary>The outcome, the patch (null when nothing changes) and the warnings for <paramref name="request"/>'s pod.</summary>
    /// <param name="namespaceOptedIn">True on the path for namespaces labelled <c>lameduck.dev/inject: enabled</c>.</param>
    public (AdmissionOutcome Outcome, byte[]? Patch, IReadOnlyList<string> Warnings, InjectionOutcome? Injection) Mutate(AdmissionRequest request, bool namespaceOptedIn)
    {
        var pod = request.Object!;
        // Most pods of a cluster do not opt in, and the annotation webhook sees them all: answer those without reading the pod.
        if (!namespaceOptedIn && Inject.Mutation.JsonEdits.Text(((pod["metadata"] as System.Text.Json.Nodes.JsonObject)?["annotations"] as System.Text.Json.Nodes.JsonObject)?[Inject.Annotations.InjectAnnotations.Inject]) is null or "false")
        {
            return (AdmissionOutcome.NotOptedIn, null, [], null);
        }
        var file = new SourceFile($"pod in namespace {request.Namespace}");
        var root = JsonToYaml.Convert(pod, file);
        var set = ManifestSet.From([new ManifestDocument(file, root, null)]);
        if (set.Workloads.FirstOrDefault() is not { } workload)
        {
            return (AdmissionOutcome.Malformed, null, ["the pod has no spec that can be read; admitted unchanged"], null);
        }
        var outcome = _injector.Inject(workload, set, () => pod, namespaceOptedIn, fromText: false);
        return outcome.State switch
        {
            InjectionState.NotOptedIn => (AdmissionOutcome.NotOptedIn, null, [], outcome),
            InjectionState.Refused => (AdmissionOutcome.Refused, null, outcome.Warnings, outcome),
            InjectionState.AlreadyInjected => (AdmissionOutcome.Unchanged, null, outcome.Warnings, outcome),
            _ => (AdmissionOutcome.Mutated, JsonPatchWriter.ToBytes(outcome.Edits), outcome.Warnings, outcome),
        };
    }
}
