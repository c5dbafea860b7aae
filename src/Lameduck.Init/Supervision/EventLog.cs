using System.Diagnostics;
using System.Globalization;
using Lameduck.Init.Native;

namespace Lameduck.Init.Supervision;

/// <summary>
/// One line per event on stderr: <c>lameduck-init [+1234ms] stop-signal: sent SIGQUIT to process group 42</c>.
/// The time is milliseconds since SIGTERM, or the signal that started the shutdown (<c>[running]</c> before it): the clock that decides every deadline.
/// </summary>
internal sealed class EventLog(StandardStream output)
{
    private long _termTimestamp;

    /// <summary>Starts the clock: called when SIGTERM arrives.</summary>
    public void MarkTermination(long timestamp) => _termTimestamp = timestamp;

    public void Write(string @event, string message)
    {
        string when = _termTimestamp == 0
            ? "running"
            : "+" + ((long)Stopwatch.GetElapsedTime(_termTimestamp).TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        output.WriteLine($"lameduck-init [{when}] {@event}: {message}");
    }
}
