#!/usr/bin/env bash
# lameduck lab benchmark: one table, one run, same machine.
# Scenarios (3 replicas, 1,000 req/s, rollout 5 s into the load, 2 s endpoint propagation):
#   baseline                    HelloService --graceful false (ASP.NET Core out of the box)
#   baseline + preStop sleep 30s
#   lameduck, fixed 5 s Delay   (Lameduck's default)
#   lameduck, QuietPeriod 0.5 s with MinDelay 1 s (the library's default MinDelay)
#   lameduck, QuietPeriod 0.5 s with MinDelay 2 s (= the propagation delay)
# for each ingress given (default: l7 kube-proxy nginx haproxy); then the highest rate at which the lab still
# shows 0 errors for Lameduck (default settings: Delay 5 s), trying RATES (default 1000 2000 3000 4000) through
# SWEEP_INGRESS (default l7, the lab's default; the tables before the l7 ingress existed swept "builtin", now kube-proxy).
# Figures: errors, rollout time, SIGTERM->exit per pod. Goals (issue 4): QuietPeriod 0 errors with
# SIGTERM->exit <= propagation + QuietPeriod + 1 s, and a rollout <= 0.3 x the preStop-sleep-30 rollout.
#
#   bash bench/lab/run.sh                       # everything (~15 min)
#   INGRESSES=l7 RATES="1000 2000" bash bench/lab/run.sh
#   SWEEP_INGRESS=kube-proxy bash bench/lab/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
INGRESSES=${INGRESSES:-"l7 kube-proxy nginx haproxy"}
SWEEP_INGRESS=${SWEEP_INGRESS:-l7}
RATES=${RATES:-"1000 2000 3000 4000"}
out=${OUT:-"$root/artifacts/bench-lab"}
mkdir -p "$out"

dotnet build src/Lameduck.Cli -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet build samples/HelloService -c Release -nologo -v:q -clp:NoSummary >/dev/null
lab() { dotnet src/Lameduck.Cli/bin/Release/net10.0/Lameduck.Cli.dll lab "$@"; }

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
  run sweep-lameduck-delay5 "$SWEEP_INGRESS" "$rate" 30s --sample lameduck
done

python3 bench/lab/table.py "$out" "$INGRESSES" "$RATES" "$SWEEP_INGRESS"
