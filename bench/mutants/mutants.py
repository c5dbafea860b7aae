#!/usr/bin/env python3
"""The mutants of bench/mutants/run.sh: deliberate bugs where a silent mistake loses requests.

Each mutant is a list of (exact original snippet, replacement) edits to one file, the test project that must
catch it and a test filter. An edit whose snippet is not in the file exactly once fails loudly (the mutant is
reported "unapplied", never "killed"): when the source changes, the mutant must be updated, not skipped.

Usage (run.sh calls it):
  mutants.py list                  one line per mutant: id<TAB>project<TAB>filter<TAB>needs-init
  mutants.py show ID               file and description, tab-separated
  mutants.py apply ID ROOT         applies the mutant to the tree at ROOT (exit 3 and a message if an anchor does not match)
  mutants.py check ROOT            checks every anchor against ROOT without changing it
"""
import sys
from pathlib import Path

LIB = "tests/Lameduck.Tests/Lameduck.Tests.csproj"
ASP = "tests/Lameduck.AspNetCore.Tests/Lameduck.AspNetCore.Tests.csproj"
INIT = "tests/Lameduck.Init.Tests/Lameduck.Init.Tests.csproj"
CLI = "tests/Lameduck.Cli.Tests/Lameduck.Cli.Tests.csproj"


def m(id, file, description, project, filter, edits, init=False):
    return dict(id=id, file=file, description=description, project=project, filter=filter, edits=edits, init=init)


MUTANTS = [
    # ---- the library: the window, the budget, the state ------------------------------------------------------
    m("lib-window-ends-at-once", "src/Lameduck/Hosting/LameDuckWindow.cs",
      "the lame-duck window ends at once (Delay ignored)", LIB,
      "FullyQualifiedName~Lameduck.Tests.Hosting.LameDuckWindowTests",
      [("await Task.Delay(options.Delay, time, cancellationToken)", "await Task.Delay(TimeSpan.Zero, time, cancellationToken)")]),
    m("lib-quiet-ignores-min-delay", "src/Lameduck/Hosting/LameDuckWindow.cs",
      "an adaptive window ends on a quiet period before MinDelay", LIB,
      "FullyQualifiedName~Lameduck.Tests.Hosting.LameDuckWindowTests",
      [("if (elapsed >= options.MinDelay && sinceArrival >= quiet)", "if (sinceArrival >= quiet)")]),
    m("lib-arrival-not-recorded", "src/Lameduck/LameduckState.cs",
      "work arriving does not move the quiet period (it ends under traffic)", LIB,
      "FullyQualifiedName~Lameduck.Tests.Hosting",
      [("Volatile.Write(ref _lastArrival, _time.GetTimestamp());", "_ = _time;")]),
    m("contract-deadline-ignores-prestop", "src/Shared/Contract/Budget/ShutdownArithmetic.cs",
      "the drain deadline ignores PreStop (AfterSignal = GracePeriod - SafetyMargin)", LIB,
      "FullyQualifiedName~Lameduck.Tests.Budget",
      [("public TimeSpan AfterSignal => GracePeriod - PreStop - SafetyMargin;", "public TimeSpan AfterSignal => GracePeriod - SafetyMargin;")]),
    m("contract-fits-when-nothing-left", "src/Shared/Contract/Budget/ShutdownArithmetic.cs",
      "a budget that leaves exactly nothing to drain is accepted (<= for <)", LIB,
      "FullyQualifiedName~Lameduck.Tests.Budget",
      [("public bool Fits => Fixed < GracePeriod;", "public bool Fits => Fixed <= GracePeriod;")]),
    m("lib-deadline-full-grace", "src/Lameduck/Hosting/LameduckHostLifetime.cs",
      "the deadline announced at the signal is the full grace period (PreStop and margin ignored)", LIB,
      "FullyQualifiedName~Lameduck.Tests.Hosting",
      [("_state.SetDeadline(_time.GetUtcNow() + budget.AfterSignal);", "_state.SetDeadline(_time.GetUtcNow() + options.GracePeriod);")]),
    m("lib-self-stop-no-draining", "src/Lameduck/Hosting/DrainObserver.cs",
      "an application that stops itself never enters Draining (long-lived work is not told to go away)", LIB,
      "FullyQualifiedName~Lameduck.Tests.Hosting",
      [("        _state.Advance(LameduckPhase.Draining);\n        if (timeout", "        if (timeout")]),

    # ---- ASP.NET Core: middleware, probes, going-away -----------------------------------------------------------
    m("asp-no-connection-close", "src/Lameduck.AspNetCore/Middleware/LameduckMiddleware.cs",
      "HTTP/1.1 responses in the window do not carry Connection: close", ASP,
      "FullyQualifiedName~Lameduck.AspNetCore.Tests.Middleware",
      [('context.Response.Headers.Connection = "close";', "_ = protocol;")]),
    m("asp-no-goaway", "src/Lameduck.AspNetCore/Middleware/LameduckMiddleware.cs",
      "HTTP/2 connections get no GOAWAY in the window", ASP,
      "FullyQualifiedName~Lameduck.AspNetCore.Tests.Middleware",
      [("        else\n        {\n            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();\n        }",
        "        else\n        {\n        }")]),
    m("asp-no-close-after-early-response", "src/Lameduck.AspNetCore/Middleware/LameduckMiddleware.cs",
      "a response started before the window (SSE) keeps its HTTP/1.1 connection open afterwards", ASP,
      "FullyQualifiedName~Lameduck.AspNetCore.Tests.GoingAway|FullyQualifiedName~Lameduck.AspNetCore.Tests.Middleware",
      [("            EndsInTheWindow(context);", "            _ = context;")]),
    m("asp-readiness-200-in-window", "src/Lameduck.AspNetCore/Probes/ReadinessVerdict.cs",
      "readiness keeps answering 200 during the lame-duck window", ASP,
      "FullyQualifiedName~Lameduck.AspNetCore.Tests.Probes|FullyQualifiedName~Lameduck.AspNetCore.Tests.Shutdown.LameDuckWindowTests",
      [("lameduck.Phase == LameduckPhase.Serving ||", "lameduck.Phase <= LameduckPhase.LameDuck ||")]),
    m("asp-websocket-normal-close", "src/Lameduck.AspNetCore/GoingAway/GoingAwayWebSocket.cs",
      "WebSocket sessions are closed with 1000 instead of 1001 Going Away", ASP,
      "FullyQualifiedName~Lameduck.AspNetCore.Tests.GoingAway.WebSocketGoingAwayTests",
      [("CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, Description", "CloseOutputAsync(WebSocketCloseStatus.NormalClosure, Description")]),
    m("asp-sse-no-going-away", "src/Lameduck.AspNetCore/GoingAway/ServerSentEvents.cs",
      "an SSE stream ends at the window without its retry:/going-away event", ASP,
      "FullyQualifiedName~Lameduck.AspNetCore.Tests.GoingAway.ServerSentEventsGoingAwayTests",
      [("await WriteGoingAwayAsync(response, retry ?? DefaultRetry, context.RequestAborted).ConfigureAwait(false);", "_ = retry;")]),

    # ---- lameduck-init (the NativeAOT binary is re-published from the mutated tree) ------------------------------
    m("init-forwards-term-unchanged", "src/Lameduck.Init/Supervision/Supervisor.cs",
      "lameduck-init sends SIGTERM instead of the preset's graceful stop signal", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.SignalForwardingTests",
      [("SendToGroup(pid, options.StopSignal);", "SendToGroup(pid, SignalTable.SIGTERM);"),
       ("ProcessSignals.Send(pid, options.StopSignal);", "ProcessSignals.Send(pid, SignalTable.SIGTERM);")], init=True),
    m("init-stop-signal-to-group", "src/Lameduck.Init/Supervision/Supervisor.cs",
      "a preset server's master gets the stop signal with its whole group (HAProxy's -W worker gets USR1 twice, exit 138)", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.StopSignalTargetTests",
      [("if (options.Preset is { } preset && ProcessName(pid) is { } name", "if (options.Preset is { } preset && preset.Name.Length == 0 && ProcessName(pid) is { } name")], init=True),
    m("init-kills-at-full-grace", "src/Shared/Contract/Init/InitSettings.cs",
      "lameduck-init kills at the full grace period instead of grace - margin", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.DeadlineTests",
      [("public TimeSpan KillAfter => Budget.AfterSignal;", "public TimeSpan KillAfter => GracePeriod;")], init=True),
    m("init-reaper-skips-orphans", "src/Lameduck.Init/Supervision/Reaper.cs",
      "the reaper waits only for the app; orphans stay zombies", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.ReapingTests",
      [("int pid = Libc.waitpid(-1, out int status, 0);", "int pid = Libc.waitpid(_mainPid, out int status, 0);")], init=True),
    m("init-delay-ignored", "src/Lameduck.Init/Drain/LameDuckWindow.cs",
      "lameduck-init sends the stop signal at once (--delay ignored)", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.DelayTests",
      [("if (elapsed >= _options.Delay) return", "if (elapsed >= TimeSpan.Zero) return")], init=True),
    m("init-quiet-ignores-min-delay", "src/Lameduck.Init/Drain/LameDuckWindow.cs",
      "with --drain-port the window ends on a quiet port before --min-delay", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.DrainTests",
      [("if (elapsed < _options.MinDelay || Stopwatch", "if (Stopwatch")], init=True),
    m("init-quiet-ignores-waiting", "src/Lameduck.Init/Drain/LameDuckWindow.cs",
      "the quiet window ends while clients still wait for the app (unaccepted / unread)", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.DrainTests|FullyQualifiedName~Lameduck.Init.Tests.Drain",
      [("< _options.QuietPeriod || _traffic.Waiting > 0) return null;", "< _options.QuietPeriod) return null;")], init=True),
    m("init-sockdiag-no-tcp-info", "src/Lameduck.Init/Drain/InetDiagRequest.cs",
      "the sock_diag request does not ask for tcp_info (request bytes unseen: the window ends under traffic)", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.Drain|FullyQualifiedName~Lameduck.Init.Tests.DrainTests",
      [("request[2] = 1 << (InetDiag.INET_DIAG_INFO - 1);", "request[2] = 0;")], init=True),
    m("init-sockdiag-wrong-port", "src/Lameduck.Init/Drain/InetDiagRequest.cs",
      "the sock_diag bytecode filters on the wrong port", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.Drain|FullyQualifiedName~Lameduck.Init.Tests.DrainTests",
      [("Put(op, InetDiag.BytecodeOpSize + 4, localPort);", "Put(op, InetDiag.BytecodeOpSize + 4, localPort + 1);")], init=True),
    m("init-min-delay-uncapped", "src/Shared/Contract/Init/InitSettings.cs",
      "the default --min-delay is not capped by a shorter --delay", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.DrainTests|FullyQualifiedName~Lameduck.Init.Tests.BadInputTests|FullyQualifiedName~Lameduck.Init.Tests.DelayTests",
      [("return ShutdownDefaults.MinDelay < delay ? ShutdownDefaults.MinDelay : delay;", "return ShutdownDefaults.MinDelay;")], init=True),
    m("contract-signal-table-usr", "src/Shared/Contract/Signals/SignalTable.cs",
      "the signal table swaps USR1 and USR2 (HAProxy's graceful stop)", INIT,
      "FullyQualifiedName~Lameduck.Init.Tests.SignalForwardingTests|FullyQualifiedName~Lameduck.Init.Tests.BadInputTests|FullyQualifiedName~Lameduck.Init.Tests.VerbTests",
      [('"USR1", "SEGV", "USR2"', '"USR2", "SEGV", "USR1"')], init=True),

    # ---- verify ------------------------------------------------------------------------------------------------
    m("verify-resend-is-error", "src/Lameduck.Cli/Verify/Attack/Http1/Http1Engine.cs",
      "verify's HTTP/1 engine never resends: a connection closed before any response byte counts as an error", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Verify.Attack",
      [("if (!connection.Parser.ReceivedAny && request.Resends < MaxResends)", "if (!connection.Parser.ReceivedAny && request.Resends < 0)")]),
    m("verify-drops-resend", "src/Lameduck.Cli/Verify/Attack/Http1/InFlightRequest.cs",
      "verify drops one resend from each request's count", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Verify.Attack",
      [("public int Retries => Math.Max(0, ConnectionsWritten - 1);", "public int Retries => Math.Max(0, ConnectionsWritten - 2);")]),
    m("verify-drops-reset-errors", "src/Lameduck.Cli/Verify/Metrics/MetricsAccumulator.cs",
      "verify's summary does not count connection resets as errors", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Verify.Attack|FullyQualifiedName~Lameduck.Cli.Tests.Verify.Metrics",
      [("if (!r.IsSuccess) Volatile.Write(ref _errors, _errors + 1);",
        "if (!r.IsSuccess && r.Error != ErrorClass.ConnectionReset) Volatile.Write(ref _errors, _errors + 1);")]),

    # ---- lint --------------------------------------------------------------------------------------------------
    m("lint-ld002-gt-for-ge", "src/Lameduck.Cli/Lint/Rules/Budget/LD002-DelayExceedsGracePeriod.cs",
      "LD002 reports only sleeps+delay+margin > grace (> for >=: a budget leaving nothing to drain passes)", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lint",
      [("if (arithmetic.Fits) yield break;", "if (arithmetic.Fixed <= arithmetic.GracePeriod) yield break;")]),

    # ---- the lab -----------------------------------------------------------------------------------------------
    m("lab-endpoint-before-signal", "src/Lameduck.Cli/Lab/Kubelet/PodTerminator.cs",
      "the lab removes the endpoint first and signals after, instead of racing them", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lab.PodTerminatorTests",
      [("var endpointTask = RemoveEndpointLaterAsync(replica, terminatingAt, propagation, removeEndpoint, ct);",
        "var endpointTask = Task.FromResult(await RemoveEndpointLaterAsync(replica, terminatingAt, propagation, removeEndpoint, ct).ConfigureAwait(false));")]),
    m("lab-exit-stamped-when-noticed", "src/Lameduck.Cli/Lab/Kubelet/PodTerminator.cs",
      "the lab times a pod's exit when its terminator gets to it, not when the kernel reported it", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lab.PodTerminatorTests",
      [("at: events.TimeOf(replica.ExitTimestamp)).At;", "at: null).At;")]),
    m("lab-l7-503-on-refused", "src/Lameduck.Cli/Lab/Ingress/L7/RequestForwarder.cs",
      "the L7 ingress answers a refused upstream with 503 instead of nginx's 502", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lab.L7IngressTests",
      [("HttpStatusCode.GatewayTimeout : HttpStatusCode.BadGateway)", "HttpStatusCode.GatewayTimeout : HttpStatusCode.ServiceUnavailable)")]),
    m("lab-l7-retries-by-default", "src/Lameduck.Cli/Lab/Ingress/L7/RequestForwarder.cs",
      "the L7 ingress retries a failed upstream on another endpoint by default (hides the baseline's errors)", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lab.L7IngressTests",
      [("int attemptsLeft = options.Retries ? Math.Min(endpoints.Length, UpstreamView.MaxTries) : 1;",
        "int attemptsLeft = Math.Min(endpoints.Length, UpstreamView.MaxTries);"),
       ("                if (options.Retries)\n                {\n                    upstream.Eject",
        "                if (attemptsLeft > 0)\n                {\n                    upstream.Eject")]),
    m("lab-prober-success-threshold", "src/Lameduck.Cli/Lab/Kubelet/ReadinessProber.cs",
      "the lab's readiness prober marks a pod ready after one success, whatever SuccessThreshold says", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lab.ReadinessProberTests",
      [("if (!IsReady && _successes >= _settings.SuccessThreshold)", "if (!IsReady && _successes >= 1)")]),
    m("lab-prober-failure-threshold", "src/Lameduck.Cli/Lab/Kubelet/ReadinessProber.cs",
      "the lab's readiness prober marks a pod unready after one failure, whatever FailureThreshold says", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lab.ReadinessProberTests",
      [("else if (IsReady && _failures >= _settings.FailureThreshold)", "else if (IsReady && _failures >= 1)")]),
    m("verify-ended-run-called-interrupted", "src/Lameduck.Cli/Verify/Attack/LoadGenerator.cs",
      "a run ended early on purpose (EndSchedule, the lab's --end-after-rollout) is reported interrupted (the lab exits 130)", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Verify.Attack.TimingTests",
      [("var interrupted = stop.IsCancellationRequested && scheduled < _length.Requests;",
        "var interrupted = scheduled < _totalRequests;")]),
    m("lab-session-closed-before-its-cut", "src/Lameduck.Cli/Lab/Sessions/SessionPool.cs",
      "when the run ends, a session on an exited pod is closed as open instead of seeing its cut (the report misses it)", CLI,
      "FullyQualifiedName~Lameduck.Cli.Tests.Lab.Sessions.SessionPoolTests",
      [("private bool IsGone(string? replica) => replica is not null && replicaGone?.Invoke(replica) == true;",
        "private bool IsGone(string? replica) => replica is null && replicaGone?.Invoke(\"\") == true;")]),
]


def find(id):
    for mutant in MUTANTS:
        if mutant["id"] == id:
            return mutant
    sys.exit(f"mutants.py: no mutant '{id}' (mutants.py list shows them)")


def check_one(mutant, root):
    """The problems with the mutant's anchors against the tree at root; empty when it applies."""
    path = Path(root) / mutant["file"]
    if not path.is_file():
        return [f"{mutant['file']}: file not found"]
    text = path.read_text()
    problems = []
    for original, replacement in mutant["edits"]:
        count = text.count(original)
        if count != 1:
            first = original.strip().splitlines()[0]
            problems.append(f"{mutant['file']}: anchor found {count} times (must be exactly once): {first!r}")
        elif original == replacement:
            problems.append(f"{mutant['file']}: replacement equals the original")
    return problems


def apply(mutant, root):
    problems = check_one(mutant, root)
    if problems:
        for p in problems:
            print(f"{mutant['id']}: {p}", file=sys.stderr)
        sys.exit(3)
    path = Path(root) / mutant["file"]
    text = path.read_text()
    for original, replacement in mutant["edits"]:
        text = text.replace(original, replacement, 1)
    path.write_text(text)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    command = argv[1]
    if command == "list":
        ids = set()
        for mutant in MUTANTS:
            assert mutant["id"] not in ids, mutant["id"]
            ids.add(mutant["id"])
            print("\t".join([mutant["id"], mutant["project"], mutant["filter"], "1" if mutant["init"] else "0"]))
    elif command == "show":
        mutant = find(argv[2])
        print("\t".join([mutant["file"], mutant["description"]]))
    elif command == "apply":
        apply(find(argv[2]), argv[3])
    elif command == "check":
        bad = 0
        for mutant in MUTANTS:
            for p in check_one(mutant, argv[2]):
                print(f"{mutant['id']}: {p}", file=sys.stderr)
                bad += 1
        print(f"{len(MUTANTS)} mutants, {bad} anchor problems")
        sys.exit(1 if bad else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
