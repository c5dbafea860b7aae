namespace Lameduck.Init.Tests.Support;

/// <summary>
/// A bash app that traps HUP, INT, QUIT, USR1, USR2, WINCH and TERM and appends each one's name to a
/// file, so a test can see exactly which signals the supervisor delivered, in order. It exits 0 on
/// <c>exitOn</c> (the graceful stop signal under test) after recording it.
/// </summary>
internal sealed class SignalRecorder : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SignalRecorder(string exitOn = "none")
    {
        RecordFile = _dir.File("signals.txt");
        Script = _dir.Write("recorder.sh", """
            #!/bin/bash
            out="$1"; exit_on="$2"
            # On the exit signal, collect the background sleep first: it must not outlive us as an orphan.
            record() { echo "$1" >> "$out"; if [ "$1" = "$exit_on" ]; then kill $! 2>/dev/null; wait $! 2>/dev/null; exit 0; fi; }
            for s in HUP INT QUIT USR1 USR2 WINCH TERM; do trap "record $s" "$s"; done
            echo ready >> "$out"
            # A trapped signal interrupts wait, so its trap runs at once. Short sleeps because a signal that
            # lands just before wait starts is only acted on when wait returns, and a background sleep
            # ignores INT and QUIT, so nothing else would end that wait.
            while :; do sleep 0.2 & wait $!; done
            """);
        File.SetUnixFileMode(Script, (UnixFileMode)0b111_101_101);
        Command = [Script, RecordFile, exitOn];
    }

    public string Script { get; }

    public string RecordFile { get; }

    /// <summary>The app command line to put after <c>--</c>.</summary>
    public string[] Command { get; }

    /// <summary>Signals recorded so far, in arrival order (without the "ready" line).</summary>
    public List<string> Received => Lines().Where(l => l != "ready").ToList();

    public void WaitUntilReady() =>
        Wait.Until(() => Lines().Contains("ready"), TimeSpan.FromSeconds(30), () => "the recorder script to set its traps");

    /// <summary>Waits until <paramref name="signal"/> (e.g. "QUIT") has been recorded <paramref name="count"/> times.</summary>
    public void WaitFor(string signal, TimeSpan timeout, int count = 1) =>
        Wait.Until(() => Lines().Count(l => l == signal) >= count, timeout,
            () => $"the app to receive SIG{signal}; it received: {string.Join(", ", Received)}");

    private List<string> Lines()
    {
        try
        {
            return File.ReadAllLines(RecordFile).ToList();
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    public void Dispose() => _dir.Dispose();
}
