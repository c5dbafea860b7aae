namespace Lameduck.Cli.Terminal;

/// <summary>
/// Shows progress of a long-running command on stderr (stdout stays clean for <c>--output json</c>): a line
/// rewritten in place several times a second on a terminal, plain periodic lines when stderr is redirected
/// (CI logs, pipes). Runs until disposed, then prints the final state once.
/// </summary>
/// <example>
/// <code>
/// await using (ProgressLine.Start(() => $"sent {generator.Progress().Scheduled}"))
/// {
///     result = await generator.RunAsync(ct);
/// }
/// </code>
/// </example>
public sealed class ProgressLine : IAsyncDisposable
{
    private readonly Func<string> _render;
    private readonly TextWriter _output;
    private readonly bool _live;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _lastLength;

    private ProgressLine(Func<string> render, TextWriter output, bool live, TimeSpan plainInterval)
    {
        _render = render;
        _output = output;
        _live = live;
        _loop = LoopAsync(live ? TimeSpan.FromMilliseconds(250) : plainInterval);
    }

    /// <summary>Starts showing <paramref name="render"/>'s text on <paramref name="output"/>.</summary>
    /// <param name="render">Called from a timer thread; must be thread-safe.</param>
    /// <param name="output">Where to write (stderr for the CLI).</param>
    /// <param name="isTerminal">True to rewrite one line in place; false for plain periodic lines.</param>
    /// <param name="plainInterval">Time between lines when not on a terminal (default 5 s).</param>
    public static ProgressLine Start(Func<string> render, TextWriter output, bool isTerminal, TimeSpan? plainInterval = null) =>
        new(render, output, isTerminal, plainInterval ?? TimeSpan.FromSeconds(5));

    /// <summary>Starts showing <paramref name="render"/>'s text on the process's stderr, live when it is a terminal.</summary>
    public static ProgressLine StartOnStandardError(Func<string> render) =>
        Start(render, Console.Error, !Console.IsErrorRedirected);

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) Show();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Show()
    {
        var text = _render();
        if (_live)
        {
            // Pad over the previous text instead of relying on ANSI erase codes.
            _output.Write("\r" + text.PadRight(_lastLength));
            _lastLength = text.Length;
        }
        else _output.WriteLine(text);
        _output.Flush();
    }

    /// <summary>Stops the updates and prints the last state.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Show();
        if (_live) _output.WriteLine();
        _stop.Dispose();
    }
}
