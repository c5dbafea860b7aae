using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Lameduck.Cli.Inject;
using Lameduck.Cli.Inject.Documents;
using Lameduck.Cli.Inject.Edits;
using Lameduck.Cli.Inject.Rendering;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Tests.Inject;

/// <summary>Runs <c>lameduck inject</c> in-process through the real command line parser, stdout captured as bytes.</summary>
internal static class InjectRun
{
    /// <summary>The exit code and what the command wrote.</summary>
    public sealed record Outcome(int ExitCode, byte[] StdoutBytes, string Stderr)
    {
        public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

        /// <summary>The documents of the output, read by lint's own reader (positions, aliases, duplicate keys refused).</summary>
        public List<YamlNode> Documents() => [.. YamlLoader.Load(new SourceFile("<output>"), Stdout).Select(d => d.Root).OfType<YamlNode>()];

        /// <summary>The output's objects (List items unwrapped) by "Kind/name".</summary>
        public Dictionary<string, KubeObject> Objects() =>
            ManifestSet.From(YamlLoader.Load(new SourceFile("<output>"), Stdout)).Objects.ToDictionary(o => o.Id);
    }

    /// <summary>Runs <c>lameduck inject ARGS</c>; <paramref name="stdin"/> is what <c>-</c> reads.</summary>
    public static Outcome Invoke(IEnumerable<string> args, byte[]? stdin = null)
    {
        var stdout = new MemoryStream();
        var root = new RootCommand { InjectCommand.Create(() => new MemoryStream(stdin ?? []), () => new NonClosingStream(stdout)) };
        var stderr = new StringWriter();
        int exit = root.Parse(["inject", .. args]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = stderr });
        return new Outcome(exit, stdout.ToArray(), stderr.ToString());
    }

    /// <summary>Runs inject on <paramref name="yaml"/> given through stdin.</summary>
    public static Outcome OnText(string yaml, params string[] extraArgs) => Invoke(["-", .. extraArgs], Encoding.UTF8.GetBytes(yaml));

    /// <summary>
    /// <paramref name="yaml"/> with <c>lameduck.dev/inject: "true"</c> added to every workload's pod template
    /// (the corpus and the examples do not opt in themselves), written with inject's own text editor.
    /// </summary>
    public static string OptIn(string yaml)
    {
        var file = new SourceFile("<opt-in>");
        var set = ManifestSet.From(YamlLoader.Load(file, yaml));
        var splices = new List<YamlTextEditor.Splice>();
        foreach (var workload in set.Workloads)
        {
            var before = (JsonObject)YamlToJson.Convert(workload.Object.Root)!;
            var after = (JsonObject)before.DeepClone();
            var template = workload.TemplatePath.Aggregate(after, (node, key) => (JsonObject)node[key]!);
            if (template["metadata"] is not JsonObject metadata) template["metadata"] = metadata = new JsonObject();
            if (metadata["annotations"] is not JsonObject annotations) metadata["annotations"] = annotations = new JsonObject();
            annotations["lameduck.dev/inject"] = "true";
            var edits = TreeDiff.Between(before, after, workload.Object.Root);
            splices.AddRange(YamlTextEditor.Plan(yaml, workload.Object.Root, after, edits).Splices);
        }
        return YamlTextEditor.Apply(yaml, splices);
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}

/// <summary>A real child process (a checker such as Debian's python3, or the lameduck CLI), bounded in time and killed on failure.</summary>
internal static class Tool
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>, feeding <paramref name="stdin"/>; returns exit code and output.</summary>
    public static (int ExitCode, byte[] Stdout, string Stderr) Run(string file, IEnumerable<string> args, byte[]? stdin = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        try
        {
            var stdout = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120))) throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
            copy.Wait();
            return (process.ExitCode, stdout.ToArray(), stderr.Result);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Debian's python3 (not a pyenv shim): the one python3-kubernetes and python3-jsonpatch are installed for.</summary>
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>A checker script of this folder.</summary>
    public static string Checker(string name) => Path.Combine(Lameduck.Testing.RepoPaths.Root, "tests", "Lameduck.Cli.Tests", "Inject", "Checkers", name);
}
