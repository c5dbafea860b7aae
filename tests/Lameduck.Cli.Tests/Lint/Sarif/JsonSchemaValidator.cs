using System.Diagnostics;

namespace Lameduck.Cli.Tests.Lint.Sarif;

/// <summary>
/// Validates a JSON file against a JSON Schema with Debian's python3-jsonschema (draft 2020-12), as a real child
/// process: an implementation that shares nothing with the code under test.
/// </summary>
internal static class JsonSchemaValidator
{
    /// <summary>Debian's interpreter, where scripts/install-deps.sh installs python3-jsonschema (not a pyenv shim).</summary>
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        import jsonschema
        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        document = json.load(open(sys.argv[2], encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
        for e in errors:
            print("/" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message)
        sys.exit(1 if errors else 0)
        """;

    /// <summary>The schema violations in <paramref name="documentPath"/> (empty when it is valid).</summary>
    public static IReadOnlyList<string> Violations(string schemaPath, string documentPath)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", Script, schemaPath, documentPath }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the JSON Schema validator did not finish within 60 s");
        }
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return process.ExitCode switch
        {
            0 => [],
            1 when lines.Length > 0 => lines,
            _ => throw new InvalidOperationException(
                $"{Python} exited with {process.ExitCode} (is Debian's python3-jsonschema installed? bash scripts/install-deps.sh): {stderr.Result}{stdout.Result}"),
        };
    }
}
