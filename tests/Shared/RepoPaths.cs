namespace Lameduck.Testing;

/// <summary>Finds the repository and the samples' build output from the test assembly's location.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Release under scripts/test.sh).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // .../bin/<Configuration>/net10.0/

    /// <summary>Path of a sample's built dll, e.g. <c>Sample("HelloService")</c>.</summary>
    public static string Sample(string name)
    {
        var path = Path.Combine(Root, "samples", name, "bin", Configuration, "net10.0", name + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution ({name} is a project reference of the tests) first.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lameduck.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Lameduck.slnx above {AppContext.BaseDirectory}");
    }
}
