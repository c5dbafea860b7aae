using System.Diagnostics;

namespace Lameduck.Testing;

/// <summary>
/// The NativeAOT lameduck-init the tests drive: $LAMEDUCK_INIT_BIN (scripts/test.sh publishes it and
/// sets it), else published here once into artifacts/lameduck-init. Never skipped: if it cannot be
/// found or built, every test using it fails with the reason. Linked into the init's tests and the
/// lab's end-to-end tests of it, so both drive the same binary.
/// </summary>
internal static class InitBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LAMEDUCK_INIT_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException($"LAMEDUCK_INIT_BIN={fromEnvironment} does not exist; publish it or unset the variable.");
        }

        var root = RepoPaths.Root;
        var output = System.IO.Path.Combine(root, "artifacts", "lameduck-init");
        var publish = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", System.IO.Path.Combine(root, "src", "Lameduck.Init"), "-c", "Release", "-f", "net9.0", "-r", "linux-x64", "-o", output, "-nologo", "-v:q" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("LAMEDUCK_INIT_BIN is not set and publishing lameduck-init took over 10 minutes.");
        }
        var binary = System.IO.Path.Combine(output, "lameduck-init");
        if (process.ExitCode != 0 || !File.Exists(binary))
            throw new InvalidOperationException(
                $"LAMEDUCK_INIT_BIN is not set and 'dotnet publish src/Lameduck.Init -f net9.0 -r linux-x64' failed (exit {process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return binary;
    }
}
