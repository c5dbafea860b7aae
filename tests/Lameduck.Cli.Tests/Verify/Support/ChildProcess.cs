using System.Diagnostics;
using System.Text;

namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>
/// A real <c>lameduck</c> process (the built Lameduck.Cli.dll under <c>dotnet</c>) with captured output, so a test can
/// send it real signals. Killed with its process tree on dispose if still running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public static ChildProcess StartLameduck(params string[] args) => StartLameduck(new Dictionary<string, string>(), args);

    /// <summary>Starts lameduck with <paramref name="environment"/> added to the test's own.</summary>
    public static ChildProcess StartLameduck(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Lameduck.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._gate) child._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._gate) child._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public int Id => _process.Id;

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }

    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }

    /// <summary>Sends <paramref name="signal"/> (e.g. INT) to this process only, with kill(1).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -s {signal} {_process.Id} failed with exit code {kill.ExitCode}");
    }

    /// <summary>Waits for exit; fails the test (after killing the process) if it takes longer than <paramref name="limit"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lameduck did not exit within {limit}; stderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>.</summary>
    public async Task WaitForStderrAsync(string text, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (watch.Elapsed > limit || _process.HasExited)
                throw new TimeoutException($"stderr never showed '{text}'; stderr:\n{Stderr}");
            await Task.Delay(25);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
