using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Lameduck.Testing;
using Lameduck.Tests.Hosting;

namespace Lameduck.Tests.Packaging;

/// <summary>dotnet pack produces both packages with their metadata, README and XML docs.</summary>
[Collection(ChildProcessCollection.Name)]
public sealed class PackageContentsTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("lameduck-pack-").FullName;

    [Theory]
    [InlineData("Lameduck", "src/Lameduck")]
    [InlineData("Lameduck.AspNetCore", "src/Lameduck.AspNetCore")]
    public async Task Package_has_metadata_readme_and_xml_docs(string id, string project)
    {
        await PackAsync(project);
        var package = Assert.Single(Directory.GetFiles(_output, "*.nupkg")); // each test packs into its own directory
        Assert.Matches($@"^{id.Replace(".", @"\.", StringComparison.Ordinal)}\.\d+\.\d+\.\d+.*\.nupkg$", Path.GetFileName(package));
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);

        using var nuspecStream = zip.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Get(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.False(string.IsNullOrWhiteSpace(Get("description")));
        Assert.Equal("MIT", Get("license"));
        Assert.Equal("README.md", Get("readme"));
        Assert.Contains("graceful-shutdown", Get("tags"), StringComparison.Ordinal);
        Assert.StartsWith("https://", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value, StringComparison.Ordinal);

        // The XML docs document the public API, with examples.
        using var xmlStream = zip.GetEntry($"lib/net10.0/{id}.xml")!.Open();
        var docs = XDocument.Load(xmlStream);
        Assert.Contains(docs.Descendants("member"), m => m.Element("example") is not null);
    }

    private async Task PackAsync(string project)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[] { "pack", project, "-c", RepoPaths.Configuration, "--no-build", "-o", _output, "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"dotnet pack {project} failed:\n{await stdout}\n{await stderr}");
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
