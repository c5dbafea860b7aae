using Lameduck.Cli.CommandLine;
using Lameduck.Contract.Init;
using Lameduck.Text;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// When the replicas run under lameduck-init, reads their command line with lameduck-init's own grammar (the shutdown
/// contract's) and tells lameduck-init the pod's budget, as a pod spec would: <c>LAMEDUCK_GRACE_PERIOD</c> from
/// <c>--grace-period</c> and <c>LAMEDUCK_PRE_STOP</c> from the preStop sleep, unless the command line already sets them
/// (then a differing value is reported: lameduck-init would plan its SIGKILL against another budget than the lab's).
/// A command line lameduck-init would refuse is a usage error before any replica starts.
/// </summary>
/// <example><code>template = LameduckInitBudget.Apply(template, termination.GracePeriod, preStopSleep, stderr);</code></example>
internal static class LameduckInitBudget
{
    /// <summary>
    /// The replicas' lameduck-init command line as lameduck-init will read it (the template's environment over the lab's
    /// own, which replicas inherit), or null when they do not run lameduck-init.
    /// </summary>
    public static InitCommandLine? Read(ReplicaTemplate template)
    {
        if (template.Command.Count == 0 || !InitFlags.IsProgram(template.Command[0])) return null;
        return InitCommandLine.Read([.. template.Command.Skip(1)],
            name => template.Environment.TryGetValue(name, out var value) ? value : System.Environment.GetEnvironmentVariable(name));
    }

    /// <summary>The template with the budget variables added, or unchanged when the command is not lameduck-init.</summary>
    /// <exception cref="UsageException">lameduck-init would refuse the command line (exit 2).</exception>
    public static ReplicaTemplate Apply(ReplicaTemplate template, TimeSpan gracePeriod, TimeSpan preStop, TextWriter notes)
    {
        if (Read(template) is not { } line) return template;
        var environment = new Dictionary<string, string>(template.Environment);
        foreach (var (flag, podValue) in new[] { (InitFlags.GracePeriod, gracePeriod), (InitFlags.PreStop, preStop) })
        {
            if (line[flag] is { } given)
            {
                if (InitSettings.TryDuration(line, flag, out _) is { } declared && declared != podValue)
                    notes.WriteLine($"lab: note: the replicas' lameduck-init has {given.Source} {DurationText.Format(declared)}, but the pod's is " +
                                    $"{DurationText.Format(podValue)}: it plans its SIGKILL against another budget than the kubelet's");
            }
            else if (podValue != InitSettings.DefaultOf(flag, line))
            {
                environment[flag.Variable] = DurationText.Format(podValue);
            }
        }
        try
        {
            InitSettings.Resolve(Read(template with { Environment = environment })!);
        }
        catch (InitUsageException e)
        {
            throw new UsageException($"the replicas' lameduck-init would refuse to start: {e.Message}");
        }
        return template with { Environment = environment };
    }
}
