namespace Lameduck.Cli.Tests.Inject;

/// <summary>Injecting twice is the same as injecting once, byte for byte, on every manifest the tests know.</summary>
public class IdempotenceTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "1.30", "1.29" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Lameduck.Testing.RepoPaths.Root, "tests", "Lameduck.Cli.Tests", "Inject", "Manifests"), "*.yaml").Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(Lameduck.Testing.RepoPaths.Root, file), version);
            foreach (var file in ProofTests.CorpusAndExamples())
                data.Add(file, version);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Inject_of_inject_is_inject(string relative, string kubeVersion)
    {
        var input = InjectRun.OptIn(File.ReadAllText(Path.Combine(Lameduck.Testing.RepoPaths.Root, relative)));

        var once = InjectRun.OnText(input, "--kube-version", kubeVersion);
        var twice = InjectRun.Invoke(["-", "--kube-version", kubeVersion], once.StdoutBytes);

        Assert.Equal(0, once.ExitCode);
        Assert.Equal(once.Stdout, twice.Stdout);
        Assert.DoesNotMatch(@"[1-9]\d* injected,", twice.Stderr);
    }
}
