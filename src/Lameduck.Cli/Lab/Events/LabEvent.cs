using System.Globalization;

namespace Lameduck.Cli.Lab.Events;

/// <summary>One timestamped lifecycle event of a lab run.</summary>
/// <param name="At">Time since the lab started.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Subject">The replica (e.g. <c>r2</c>) or component (<c>ingress</c>, <c>rollout</c>) it happened to.</param>
/// <param name="Detail">Free text: port, pid, exit code, signal name.</param>
public sealed record LabEvent(TimeSpan At, LabEventKind Kind, string Subject, string Detail)
{
    /// <summary>One line for the text report: <c>  12.345s  r2  Terminating  port 40121</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{At.TotalSeconds,9:0.000}s  {Subject,-8} {Kind,-15} {Detail}");
}
