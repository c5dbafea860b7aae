using System.Diagnostics;

namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>Debian's chromium, headless: loads a local file, runs its scripts, returns the DOM as it is afterwards.</summary>
public static class HeadlessChromium
{
    public static async Task<string> DumpDomAsync(string htmlPath, string scratchDirectory)
    {
        var profile = Path.Combine(scratchDirectory, "chromium-profile");
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     $"--user-data-dir={profile}", "--dump-dom", new Uri(htmlPath).AbsoluteUri })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium --dump-dom did not finish within 90 s: " + await stderr);
        }
        var dom = await stdout;
        if (process.ExitCode != 0 || dom.Length == 0)
            throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await stderr}");
        return dom;
    }
}
