using System.Text.Json.Nodes;
using Lameduck.Cli.Inject.Documents;
using Lameduck.Cli.Inject.Mutation;
using Lameduck.Cli.Inject.Output;
using Lameduck.Cli.Inject.Rendering;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Inject;

/// <summary>One input file after injection.</summary>
/// <param name="File">The file as read (path, bytes, text).</param>
/// <param name="Splices">The changes to its text; empty when untouched.</param>
/// <param name="Text">Its text after the changes (the original text when untouched).</param>
/// <param name="Bytes">What to write: the original bytes when untouched, else the new text in the file's encoding.</param>
internal sealed record InjectedFile(LoadedFile File, IReadOnlyList<YamlTextEditor.Splice> Splices, string Text, byte[] Bytes)
{
    /// <summary>True when injection changed the file.</summary>
    public bool Changed => Splices.Count > 0;
}

/// <summary>The outcome of <c>lameduck inject</c> over its inputs.</summary>
/// <param name="Files">Every readable input file, in input order.</param>
/// <param name="Outcomes">Every opted-in workload with what became of it.</param>
/// <param name="InputErrors">Inputs that could not be read; nothing is written when there are any.</param>
/// <param name="Notes">Things worth a line on stderr that are not warnings (objects rewritten as a whole).</param>
internal sealed record InjectRun(
    IReadOnlyList<InjectedFile> Files,
    IReadOnlyList<(KubeObject Object, InjectionOutcome Outcome)> Outcomes,
    IReadOnlyList<LintInputException> InputErrors,
    IReadOnlyList<string> Notes);

/// <summary>
/// Reads manifests the way lint does (files, folders, <c>-</c>, multi-document YAML, List kinds), injects every
/// opted-in workload, and writes each change into the file's own text: documents and lines it does not change
/// are kept byte for byte.
/// </summary>
internal sealed class ManifestInjector(InjectSettings settings, Func<Stream> openStandardInput)
{
    /// <summary>Injects the workloads of <paramref name="paths"/>.</summary>
    public InjectRun Run(IReadOnlyList<string> paths)
    {
        var errors = new List<LintInputException>();
        var files = new InputReader(openStandardInput).Load(paths, errors).ToList();
        var set = ManifestSet.From(files.SelectMany(f => f.Documents));
        var injector = new WorkloadInjector(settings);
        var splices = files.ToDictionary(f => f.File, _ => new List<YamlTextEditor.Splice>());
        var byFile = files.ToDictionary(f => f.File);
        var outcomes = new List<(KubeObject, InjectionOutcome)>();
        var notes = new List<string>();
        foreach (var workload in set.Workloads)
        {
            InjectionOutcome outcome;
            try
            {
                outcome = injector.Inject(workload, set, () => (JsonObject)YamlToJson.Convert(workload.Object.Root)!);
            }
            catch (Exception e) when (e is InvalidCastException or InvalidOperationException or ArgumentException or NullReferenceException)
            {
                // A shape of manifest the mutation did not expect: one workload left alone beats a stack trace and no output.
                outcome = InjectionOutcome.Refused([$"{workload.Object.Id} left alone: inject failed on it ({e.GetType().Name}: {e.Message}); please report this manifest"]);
            }
            if (outcome.State == InjectionState.NotOptedIn) continue;
            outcomes.Add((workload.Object, outcome));
            if (outcome.State != InjectionState.Injected) continue;
            var file = byFile[workload.Object.Document.File];
            var (objectSplices, rewritten) = YamlTextEditor.Plan(file.Text, workload.Object.Root, outcome.After!, outcome.Edits);
            splices[file.File].AddRange(objectSplices);
            if (rewritten)
            {
                notes.Add($"{file.File.DisplayPath}:{workload.Object.Root.Line}: {workload.Object.Id} was written anew (an edit fell inside a YAML alias): its comments, quoting and anchors were not kept");
            }
        }
        var injected = files.Select(f =>
        {
            var list = splices[f.File];
            if (list.Count == 0) return new InjectedFile(f, list, f.Text, f.Bytes);
            var text = YamlTextEditor.Apply(f.Text, list);
            return new InjectedFile(f, list, text, OutputEncoding.Encode(f.Bytes, text));
        }).ToList();
        return new InjectRun(injected, outcomes, errors, notes);
    }
}
