namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>A temporary directory removed when the test ends, pass or fail.</summary>
internal sealed class LabTempDir : IDisposable
{
    public LabTempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lameduck-lab-test-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
