using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Lameduck.Contract.Signals;

namespace Lameduck.Testing;

/// <summary>
/// A sample (HelloService, HelloWorker) run as a real child process: its output is captured line by line,
/// it receives real signals, and it is killed (whole tree) on dispose if it is still running, so a failing
/// test leaves nothing behind.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <c>dotnet &lt;dll&gt; &lt;args&gt;</c> with single-line console logs and <paramref name="environment"/> added.</summary>
    public static ChildProcess Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Add(e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        process.Exited += (_, _) => child._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts HelloService on a free port (Kestrel binds port 0) and waits until it listens.</summary>
    public static async Task<(ChildProcess Process, Uri BaseAddress)> StartHelloServiceAsync(bool graceful, IReadOnlyDictionary<string, string>? environment = null, string urls = "http://127.0.0.1:0")
    {
        var child = Start(RepoPaths.Sample("HelloService"), ["--urls", urls, "--graceful", graceful ? "true" : "false"], environment);
        try
        {
            var line = await child.WaitForLineAsync(l => l.Contains("Now listening on: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var url = ListeningUrl().Match(line).Groups[1].Value;
            return (child, new Uri(url));
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    public void Signal(int signal)
    {
        if (!ProcessSignals.Send(_process.Id, signal))
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for a line matching <paramref name="match"/> (already written or yet to come).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var seen = 0;
        while (true)
        {
            lock (_gate)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (match(_lines[seen]))
                    {
                        return _lines[seen];
                    }
                }
            }
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"no matching line within {timeout.TotalSeconds} s; output so far:\n{Output}");
            }
            if (_process.HasExited)
            {
                // Let the output readers catch up once, then give up.
                await _exited.Task;
                _process.WaitForExit();
                lock (_gate)
                {
                    if (seen == _lines.Count)
                    {
                        throw new InvalidOperationException($"process exited ({_process.ExitCode}) without a matching line; output:\n{Output}");
                    }
                }
                continue;
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code; throws after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process {_process.Id} still running after {timeout.TotalSeconds} s; output:\n{Output}");
        }
        return _process.ExitCode;
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _lines.Add(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s]+)")]
    private static partial Regex ListeningUrl();
}
