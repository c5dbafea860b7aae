using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Tests.Inject;

/// <summary>Reads what a test needs out of inject's output (through lint's model and navigation).</summary>
internal static class Manifest
{
    public static string Path(string name) => System.IO.Path.Combine(Lameduck.Testing.RepoPaths.Root, "tests", "Lameduck.Cli.Tests", "Inject", "Manifests", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    public static Workload Workload(InjectRun.Outcome run, string id) =>
        Cli.Lint.Model.Workload.From(run.Objects()[id]) ?? throw new InvalidOperationException($"{id} is not a workload");

    public static Container Container(InjectRun.Outcome run, string id, string name) =>
        Workload(run, id).Pod.Containers.Single(c => c.Name == name);

    /// <summary>The strings of the sequence at <paramref name="keys"/>.</summary>
    public static List<string> Strings(YamlNode? node, params string[] keys) => [.. node.At(keys).Items().Select(i => ((YamlScalar)i).Value)];

    public static List<string> CommandWords(this Container c) => [.. c.Command.Select(s => s.Value)];

    public static List<string> ArgWords(this Container c) => [.. c.Args.Select(s => s.Value)];

    /// <summary>The literal value of env var <paramref name="name"/>, or null; fails when it is set twice.</summary>
    public static string? Env(this Container c, string name) => c.Env.Where(e => e.Name == name).Select(e => e.Value?.Value).SingleOrDefault();

    public static string? Annotation(this Workload w, string key) => w.Template.TextAt("metadata", "annotations", key);

    /// <summary>The pod's init containers.</summary>
    public static List<YamlMapping> InitContainers(this Workload w) => [.. w.Pod.Node["initContainers"].Items().OfType<YamlMapping>()];

    /// <summary>The pod's volumes by name.</summary>
    public static Dictionary<string, YamlMapping> Volumes(this Workload w) =>
        w.Pod.Node["volumes"].Items().OfType<YamlMapping>().ToDictionary(v => v.TextAt("name")!);

    /// <summary>The container's volume mounts as (name, path, readOnly).</summary>
    public static List<(string Name, string Path, bool ReadOnly)> Mounts(this Container c) =>
        [.. c.Node["volumeMounts"].Items().Select(m => (m.TextAt("name")!, m.TextAt("mountPath")!, m.TextAt("readOnly") == "true"))];
}
