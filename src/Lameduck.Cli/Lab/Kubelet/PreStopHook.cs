using Lameduck.Text;

namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>A pod's preStop hook: a sleep (<c>lifecycle.preStop.sleep</c>) or a command (<c>exec</c>).</summary>
public abstract record PreStopHook
{
    /// <summary><c>--pre-stop-sleep 5s</c>.</summary>
    public sealed record Sleep(TimeSpan Duration) : PreStopHook
    {
        /// <inheritdoc />
        public override string ToString() => "sleep " + DurationText.Format(Duration);
    }

    /// <summary><c>--pre-stop "CMD ARGS"</c>; <c>{port}</c> and <c>PORT</c> are set to the replica's port.</summary>
    public sealed record Exec(IReadOnlyList<string> Command) : PreStopHook
    {
        /// <inheritdoc />
        public override string ToString() => "exec " + string.Join(' ', Command);
    }
}
