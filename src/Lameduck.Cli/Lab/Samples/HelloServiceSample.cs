using System.Diagnostics;
using System.Globalization;
using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lab.Replicas;

namespace Lameduck.Cli.Lab.Samples;

/// <summary>
/// Locates the repository's samples/HelloService and builds it when its output is missing, so that
/// <c>lameduck lab --sample both</c> works on a fresh clone. The repository is found by walking up
/// from the tool's own location, then from the current directory, to the folder holding
/// <c>Lameduck.slnx</c>; the sample is not bundled with the packaged tool (a user of the tool
/// brings their own COMMAND after <c>--</c>).
/// </summary>
public static class HelloServiceSample
{
    private const string Project = "samples/HelloService/HelloService.csproj";

    /// <summary>
    /// The replica template for <paramref name="graceful"/> (false = baseline), building the sample
    /// first when needed. <paramref name="gracePeriod"/> and <paramref name="preStop"/> are passed to
    /// Lameduck's budget (<c>Lameduck__GracePeriod</c>, <c>Lameduck__PreStop</c>) so the service
    /// plans its shutdown within the pod's real grace period; <paramref name="environment"/> (from
    /// <c>--env</c>, e.g. <c>Lameduck__QuietPeriod=00:00:00.5</c>) comes last and wins.
    /// </summary>
    /// <exception cref="UsageException">No clone of the repository is found.</exception>
    /// <exception cref="LabException">The sample does not build.</exception>
    public static ReplicaTemplate Template(bool graceful, TimeSpan gracePeriod, TimeSpan preStop, IReadOnlyDictionary<string, string> environment, TextWriter progress)
    {
        var dll = LocateOrBuild(progress);
        var env = new Dictionary<string, string>();
        if (graceful)
        {
            env["Lameduck__GracePeriod"] = gracePeriod.ToString("c", CultureInfo.InvariantCulture);
            env["Lameduck__PreStop"] = preStop.ToString("c", CultureInfo.InvariantCulture);
        }
        // Quiet the console logger: replicas log to files and nobody reads per-request lines.
        env["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) env[key] = value;
        return new ReplicaTemplate(
            ["dotnet", dll, "--urls", "http://127.0.0.1:{port}", "--graceful", graceful ? "true" : "false"], env);
    }

    /// <summary>The built HelloService.dll, building it (Release) when no build output exists.</summary>
    public static string LocateOrBuild(TextWriter progress)
    {
        // Outside a clone, --sample cannot work at all: that is usage. A build that fails is a failure, not usage.
        var root = FindRepositoryRoot() ?? throw new UsageException(
            "--sample runs the repository's samples/HelloService, and no Lameduck repository (a folder with Lameduck.slnx) was found above the tool or the current directory. " +
            "Run from a clone, or pass your own app: lameduck lab -- dotnet MyApp.dll --urls http://127.0.0.1:{port}");
        var candidates = new[] { OwnConfiguration(), "Release", "Debug" }
            .Where(c => c is not null).Distinct()
            .Select(c => Path.Combine(root, "samples", "HelloService", "bin", c!, "net10.0", "HelloService.dll"))
            .Where(File.Exists)
            .ToArray();
        if (candidates.Length > 0) return candidates[0];

        progress.WriteLine($"lab: building {Project} (Release), once...");
        progress.Flush();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in new[] { "build", Project, "-c", "Release", "-nologo", "-v:q" }) psi.ArgumentList.Add(a);
        using var build = Process.Start(psi) ?? throw new LabException("could not run 'dotnet build'");
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        build.WaitForExit();
        var dll = Path.Combine(root, "samples", "HelloService", "bin", "Release", "net10.0", "HelloService.dll");
        if (build.ExitCode != 0 || !File.Exists(dll))
            throw new LabException($"building {Project} failed (dotnet build exit code {build.ExitCode}):{Environment.NewLine}{stdout.Result}{stderr.Result}".TrimEnd());
        return dll;
    }

    /// <summary>The folder with Lameduck.slnx above the tool's location or the current directory, or null.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Lameduck.slnx")) && File.Exists(Path.Combine(dir.FullName, Project))) return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>The configuration the tool itself was built with (bin/&lt;Configuration&gt;/net10.0), to prefer the matching sample build.</summary>
    private static string? OwnConfiguration()
    {
        var dir = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        return dir.Parent?.Parent?.Name == "bin" ? dir.Parent.Name : null;
    }
}
