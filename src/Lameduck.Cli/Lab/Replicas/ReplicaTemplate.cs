namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// What every replica runs (the pod template): a command whose arguments may contain <c>{port}</c>,
/// and extra environment variables. Each replica also gets <c>PORT</c> in its environment.
/// </summary>
/// <example><code>new ReplicaTemplate(["dotnet", "HelloService.dll", "--urls", "http://127.0.0.1:{port}"], new Dictionary&lt;string, string&gt;())</code></example>
public sealed record ReplicaTemplate(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>A short label for reports: the command's file name and first arguments.</summary>
    public string Label => string.Join(' ', Command.Take(3).Select((a, i) => i == 0 ? Path.GetFileName(a) : a));
}
