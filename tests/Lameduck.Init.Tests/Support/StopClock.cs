using System.Diagnostics;
using System.Globalization;

namespace Lameduck.Init.Tests.Support;

/// <summary>
/// An app that notes when its stop signal arrived, on the clock the tests use (CLOCK_MONOTONIC: .NET's
/// Stopwatch on Linux and Python's time.monotonic_ns), then exits 0. A test can then compare the moment the app
/// was stopped with the moments it sent traffic, without the offset between its clock and lameduck-init's log
/// (which counts from when lameduck-init handled SIGTERM, some milliseconds after the test sent it). The only
/// slack left is the signal's delivery to a Python process blocked in pause(): well under a millisecond idle.
/// </summary>
internal sealed class StopClock : IDisposable
{
    private const string Script = """
        import signal, sys, time
        out, name = sys.argv[1], sys.argv[2]
        def stop(*_):
            at = time.monotonic_ns()
            with open(out + ".tmp", "w") as f: f.write(str(at))
            import os; os.rename(out + ".tmp", out)
            sys.exit(0)
        signal.signal(getattr(signal, "SIG" + name), stop)
        open(out + ".ready", "w").close()
        while True: signal.pause()
        """;

    private readonly TempDirectory _dir = new();
    private readonly string _file;

    /// <param name="signal">The stop signal to note, e.g. "QUIT" or "TERM".</param>
    public StopClock(string signal)
    {
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_111_111); // the app may run as another user (nobody)
        _file = _dir.File("stopped-at");
        Command = ["/usr/bin/python3", "-c", Script, _file, signal];
    }

    /// <summary>The app command line to put after <c>--</c>.</summary>
    public string[] Command { get; }

    public void WaitUntilReady() =>
        Wait.Until(() => File.Exists(_file + ".ready"), TimeSpan.FromSeconds(30), () => "the stop-clock app to install its handler");

    /// <summary>Waits for the stop signal and returns when it arrived, as a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public long WaitForStop(TimeSpan timeout)
    {
        Wait.Until(() => File.Exists(_file), timeout, () => "the app to receive its stop signal");
        long nanoseconds = long.Parse(File.ReadAllText(_file), CultureInfo.InvariantCulture);
        return (long)(nanoseconds * (Stopwatch.Frequency / 1e9));
    }

    public void Dispose() => _dir.Dispose();
}
