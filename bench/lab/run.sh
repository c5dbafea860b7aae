#!/usr/bin/env bash
# lameduck lab benchmark: one table, one run, same machine.
# Scenarios (3 replicas, 1,000 req/s, rollout 5 s into the load, 2 s endpoint propagation):
#   baseline                    HelloService --graceful false (ASP.NET Core out of the box)
#   baseline + preStop sleep 30s
#   lameduck, fixed 5 s Delay   (Lameduck's default)
#   lameduck, QuietPeriod 0.5 s with MinDelay 1 s (the library's default MinDelay)
#   lameduck, QuietPeriod 0.5 s with MinDelay 2 s (= the propagation delay)
# for each ingress given (default: builtin nginx haproxy); then the highest rate at which the lab still
# shows 0 errors for Lameduck (default settings: Delay 5 s), trying RATES (default 1000 2000 3000 4000) on builtin.
# Figures: errors, rollout time, SIGTERM->exit per pod. Goals (issue 4): QuietPeriod 0 errors with
# SIGTERM->exit <= propagation + QuietPeriod + 1 s, and a rollout <= 0.3 x the preStop-sleep-30 rollout.
#
#   bash bench/lab/run.sh                       # everything (~15 min)
#   INGRESSES=builtin RATES="1000 2000" bash bench/lab/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
INGRESSES=${INGRESSES:-"builtin nginx haproxy"}
RATES=${RATES:-"1000 2000 3000 4000"}
out=${OUT:-"$root/artifacts/bench-lab"}
mkdir -p "$out"

dotnet build src/Lameduck.Cli -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet build samples/HelloService -c Release -nologo -v:q -clp:NoSummary >/dev/null
lab() { dotnet src/Lameduck.Cli/bin/Release/net10.0/lameduck.dll lab "$@"; }

common=(--replicas 3 --rollout-at 5s --propagation 2s --output json)
quiet=(--env Lameduck__QuietPeriod=00:00:00.500 --env Lameduck__MinDelay=00:00:01)
quiet2=(--env Lameduck__QuietPeriod=00:00:00.500 --env Lameduck__MinDelay=00:00:02)

run() { # name ingress rate duration args...
  local name=$1 ingress=$2 rate=$3 duration=$4; shift 4
  echo "bench/lab: $name via $ingress at $rate req/s for $duration" >&2
  lab "${common[@]}" --ingress "$ingress" --rate "$rate" --duration "$duration" "$@" \
    > "$out/$name.$ingress.$rate.json" 2> "$out/$name.$ingress.$rate.log" || true
}

for ingress in $INGRESSES; do
  run baseline          "$ingress" 1000 15s  --sample baseline
  run baseline-prestop30 "$ingress" 1000 105s --sample baseline --pre-stop-sleep 30s
  run lameduck-delay5   "$ingress" 1000 28s  --sample lameduck
  run lameduck-quiet    "$ingress" 1000 26s  --sample lameduck "${quiet[@]}"
  run lameduck-quiet2   "$ingress" 1000 26s  --sample lameduck "${quiet2[@]}"
done
for rate in $RATES; do
  run sweep-lameduck-delay5 builtin "$rate" 30s --sample lameduck
done

python3 - "$out" "$INGRESSES" "$RATES" <<'PY'
import json, os, sys
out, ingresses, rates = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def load(name, ingress, rate):
    path = os.path.join(out, f"{name}.{ingress}.{rate}.json")
    try:
        with open(path) as f: return json.load(f)
    except Exception: return None
names = [("baseline", "baseline"), ("baseline-prestop30", "baseline + preStop sleep 30s"),
         ("lameduck-delay5", "Lameduck, Delay 5s"), ("lameduck-quiet", "Lameduck, QuietPeriod 0.5s, MinDelay 1s"),
         ("lameduck-quiet2", "Lameduck, QuietPeriod 0.5s, MinDelay 2s")]
print("| ingress | scenario | requests | errors | success | rollout | SIGTERM→exit per pod (s) | killed |")
print("|---|---|---:|---:|---:|---:|---|---:|")
for ingress in ingresses:
    roll = {}
    for key, label in names:
        d = load(key, ingress, 1000)
        if d is None:
            print(f"| {ingress} | {label} | run failed, see {key}.{ingress}.1000.log | | | | | |"); continue
        roll[key] = d["rollout_s"]
        ste = " ".join(f"{t['sigterm_to_exit_s']:.2f}" for t in d["terminations"])
        killed = sum(1 for t in d["terminations"] if t["killed"])
        print(f"| {ingress} | {label} | {d['requests']} | {d['errors']} | {d['success_ratio']*100:.2f}% | {d['rollout_s']} s | {ste} | {killed} |")
    for key in ("lameduck-quiet", "lameduck-quiet2"):
        if roll.get(key) and roll.get("baseline-prestop30"):
            print(f"| {ingress} | rollout ratio {key} / preStop-30 | | | | {roll[key]/roll['baseline-prestop30']:.2f}× | | |")
print()
print("| rate (req/s), builtin, Lameduck (Delay 5s) | errors | success | p99 latency | send lag p99 | SIGTERM→exit per pod (s) |")
print("|---:|---:|---:|---:|---:|---|")
best = None
for rate in rates:
    d = load("sweep-lameduck-delay5", "builtin", rate)
    if d is None: print(f"| {rate} | run failed | | | | |"); continue
    ste = " ".join(f"{t['sigterm_to_exit_s']:.2f}" for t in d["terminations"])
    print(f"| {rate} | {d['errors']} | {d['success_ratio']*100:.3f}% | {d['latency_ms']['p99']:.1f} ms | {d['send_lag_ms']['p99']:.1f} ms | {ste} |")
    if d["errors"] == 0: best = rate
print()
print(f"highest rate tried with 0 errors: {best if best else 'none'} req/s")
PY
