using System.Globalization;
using Lameduck.Cli.Verify.Events;

namespace Lameduck.Cli.Verify.During;

/// <summary>How the <c>--during</c> command ended, as recorded on the run's timeline.</summary>
/// <param name="Command">The command line.</param>
/// <param name="ExitCode">Its exit code; null when it never started or had to be killed.</param>
/// <param name="Problem">Why it failed, in words; null when it exited 0.</param>
public sealed record DuringOutcome(string Command, int? ExitCode, string? Problem)
{
    /// <summary>Event names the runner records (stable: <c>verify report</c> reads them back from results files).</summary>
    public const string StartEvent = "during: start";
    /// <summary>Recorded when the command exits; detail <c>exit code N</c>.</summary>
    public const string ExitEvent = "during: exit";
    /// <summary>Recorded when the command could not start or was killed; detail says why.</summary>
    public const string FailedEvent = "during: failed";

    /// <summary>True when the command exited 0.</summary>
    public bool Succeeded => Problem is null;

    /// <summary>Rebuilds the outcome from a run's events; null when the run had no <c>--during</c> command.</summary>
    public static DuringOutcome? FromEvents(IReadOnlyList<RunEvent> events)
    {
        var start = events.FirstOrDefault(e => e.Name == StartEvent);
        var failed = events.FirstOrDefault(e => e.Name == FailedEvent);
        var exit = events.FirstOrDefault(e => e.Name == ExitEvent);
        if (start is null && failed is null) return null;
        var command = start?.Detail ?? "";
        if (failed is not null) return new DuringOutcome(command, null, failed.Detail ?? "failed");
        if (exit?.Detail is { } detail && detail.StartsWith("exit code ", StringComparison.Ordinal)
            && int.TryParse(detail.AsSpan("exit code ".Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            return new DuringOutcome(command, code, code == 0 ? null : $"exited with code {code}");
        return new DuringOutcome(command, null, "did not finish");
    }
}
