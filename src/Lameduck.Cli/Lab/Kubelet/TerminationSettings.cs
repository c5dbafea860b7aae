namespace Lameduck.Cli.Lab.Kubelet;

/// <summary>What the kubelet needs to terminate a pod: <c>terminationGracePeriodSeconds</c>, the preStop hook, the stop signal.</summary>
public sealed record TerminationSettings(TimeSpan GracePeriod, PreStopHook? PreStop, int StopSignal);
