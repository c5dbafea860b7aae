using System.CommandLine;
using Lameduck.Cli.CommandLine;
using Lameduck.Cli.Lab.Ingress;
using Lameduck.Contract.Budget;

namespace Lameduck.Cli.Lab;

/// <summary>The flags of <c>lameduck lab</c> (one instance per command tree).</summary>
internal sealed class LabOptions
{
    public Argument<string[]> Command { get; } = new("command")
    {
        Description = "The app to run per replica, after --: {port} in its arguments (and PORT in its environment) is the replica's port.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string> Sample { get; } = new Option<string>("--sample")
    {
        Description = "Run the repository's HelloService instead of a COMMAND: baseline (no Lameduck), lameduck, or both (back to back, with a before/after table).",
    }.OneOf("baseline", "lameduck", "both");

    public Option<int> Replicas { get; } = new("--replicas") { Description = "Desired replicas.", DefaultValueFactory = _ => 3 };

    public Option<double> Rate { get; } = LoadFlags.Rate();

    public Option<TimeSpan> Duration { get; } = LoadFlags.Duration();

    public Option<TimeSpan?> EndAfterRollout { get; } = DurationOptions.Optional("--end-after-rollout",
        "End the load this long after the rollout is over (every old pod exited, every new one ready), e.g. 1s; --duration then only caps the load. Default: the load runs its whole --duration.");

    public Option<TimeSpan> RolloutAt { get; } = DurationOptions.WithDefault("--rollout-at", "When the rolling update starts, from the start of the load.", TimeSpan.FromSeconds(20));

    public Option<string> Ingress { get; } = new Option<string>("--ingress")
    {
        Description = "l7 (in-process, like ingress-nginx: per-request balancing over pooled keep-alive connections), kube-proxy (in-process TCP balancer, " +
                      "like kube-proxy), nginx or haproxy (the real servers, Debian packages nginx-light / haproxy).",
        DefaultValueFactory = _ => "l7",
    }.OneOf([.. IngressFactory.Names], renamed: new Dictionary<string, string>
    {
        ["builtin"] = "the kube-proxy-like TCP balancer is now --ingress kube-proxy; the built-in ingresses are l7 (the default, an L7 proxy like ingress-nginx) and kube-proxy",
    });

    public Option<bool> IngressRetries { get; } = new("--ingress-retries")
    {
        Description = "Give l7/nginx/haproxy their error-masking defaults back (l7 and nginx: max_fails=1, proxy_next_upstream error timeout; haproxy: retries 3, redispatch).",
    };

    public Option<string> Propagation { get; } = new("--propagation")
    {
        Description = "Delay before the ingress stops routing to a terminating pod: fixed (2s) or drawn per pod from a range (0.5s..3s, see --seed).",
        DefaultValueFactory = _ => "2s",
    };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for propagation draws and the kube-proxy ingress's choices.", DefaultValueFactory = _ => 1 };

    public Option<TimeSpan> GracePeriod { get; } = DurationOptions.WithDefault("--grace-period", "terminationGracePeriodSeconds: SIGKILL this long after termination starts (preStop included).", ShutdownDefaults.GracePeriod);

    public Option<string> PreStop { get; } = new("--pre-stop") { Description = "preStop exec hook, e.g. \"lameduck-init signal QUIT\" ({port} and PORT are the replica's)." };

    public Option<TimeSpan?> PreStopSleep { get; } = DurationOptions.Optional("--pre-stop-sleep", "preStop sleep hook, e.g. 5s.");

    public Option<string> StopSignal { get; } = new("--stop-signal") { Description = "Signal the kubelet sends after preStop (TERM, QUIT, INT, USR1...).", DefaultValueFactory = _ => "TERM" };

    public Option<int> MaxSurge { get; } = new("--max-surge") { Description = "Pods allowed above --replicas during the rollout.", DefaultValueFactory = _ => 1 };

    public Option<int> MaxUnavailable { get; } = new("--max-unavailable") { Description = "Ready pods allowed below --replicas during the rollout.", DefaultValueFactory = _ => 0 };

    public Option<string> ReadinessPath { get; } = new("--readiness-path") { Description = "HTTP path of the readiness probe.", DefaultValueFactory = _ => "/healthz/ready" };

    public Option<TimeSpan> ReadinessPeriod { get; } = DurationOptions.WithDefault("--readiness-period", "Readiness probe period (periodSeconds).", TimeSpan.FromSeconds(1));

    public Option<string[]> Env { get; } = new("--env", "-e")
    {
        Description = "KEY=VALUE added to every replica's environment; repeat for more (e.g. Lameduck__QuietPeriod=00:00:00.5).",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<TimeSpan> Timeout { get; } = LoadFlags.Timeout();

    public Option<bool> KeepAlive { get; } = new("--keep-alive")
    {
        Description = "The load reuses connections (true|false); false opens one per request, like many short-lived clients (behind kube-proxy only new connections can land on a removed pod).",
        DefaultValueFactory = _ => true,
    };

    public Option<int> Sessions { get; } = new("--sessions")
    {
        Description = "Long-lived sessions to hold open through the rollout, per protocol (--session-protocol); each one reconnects through the ingress when it ends, and the report says how each ended and how long the client was without one.",
        DefaultValueFactory = _ => 0,
    };

    public Option<string> SessionProtocol { get; } = new Option<string>("--session-protocol")
    {
        Description = "websocket (an echo every 200 ms), sse (an event stream), or both (--sessions of each).",
        DefaultValueFactory = _ => "websocket",
    }.OneOf("websocket", "sse", "both");

    public Option<string> WebSocketPath { get; } = new("--ws-path") { Description = "The app's WebSocket endpoint (an echo).", DefaultValueFactory = _ => "/ws" };

    public Option<string> SsePath { get; } = new("--sse-path") { Description = "The app's server-sent-event endpoint.", DefaultValueFactory = _ => "/sse" };

    public Option<long?> MaxErrors { get; } = new("--max-errors") { Description = "Exit 1 when a run has more errors than this (for CI). Default: no limit." };

    public Option<string> Output { get; } = LoadFlags.Output();

    public Option<string> Report { get; } = new("--report") { Description = "Write an HTML report here: the requests' outcomes over time with a lane per replica (its life, endpoint removal, stop signal, exit); with --sample both, both runs on the one page, one above the other." };

    public IEnumerable<Option> All => [Sample, Replicas, Rate, Duration, EndAfterRollout, RolloutAt, Ingress, IngressRetries, Propagation, Seed, GracePeriod, PreStop,
        PreStopSleep, StopSignal, MaxSurge, MaxUnavailable, ReadinessPath, ReadinessPeriod, Env, Timeout, KeepAlive,
        Sessions, SessionProtocol, WebSocketPath, SsePath, MaxErrors, Output, Report];
}
