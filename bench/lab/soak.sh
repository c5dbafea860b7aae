#!/usr/bin/env bash
# A soak: N rolling updates back to back (default 50), each a fresh `lameduck lab` run with the default ingress (l7),
# the Lameduck sample (HelloService with the library's defaults), 3 replicas all replaced at once (--max-surge 3: three new
# pods, then the three old ones terminate together, every endpoint changing at once; one at a time, 50 rollouts would
# take 25 minutes), 1,000 req/s, the rollout 1 s into a 12 s load, which covers it (a rollout that outlasts the load is
# reported). After each run it checks that every process the lab started (the "pid N" of its stderr) is gone and that none of
# its ports ("127.0.0.1:N", "port N") still has a socket. Prints a line per rollout and the totals: requests, errors,
# leftover processes and ports. Exit 1 on any error or leftover. About 15 s per rollout.
#
#   bash bench/lab/soak.sh           # 50 rollouts, ~13 min
#   bash bench/lab/soak.sh 5
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-50}
case $runs in ''|*[!0-9]*) echo "soak.sh: N must be a number of rollouts, got '$runs'" >&2; exit 2 ;; esac
out=${OUT:-artifacts/bench-lab/soak}
mkdir -p "$out"
dotnet build src/Lameduck.Cli -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet build samples/HelloService -c Release -nologo -v:q -clp:NoSummary >/dev/null
lab() { dotnet src/Lameduck.Cli/bin/Release/net10.0/Lameduck.Cli.dll lab "$@"; }

total_requests=0; total_errors=0; left_pids=0; left_ports=0; failed_runs=0
stop=0; trap 'stop=1' INT TERM
started=$(date +%s)
for i in $(seq 1 "$runs"); do
  [ "$stop" = 0 ] || break
  json="$out/rollout-$i.json"; log="$out/rollout-$i.log"
  code=0
  lab --sample lameduck --replicas 3 --rate 1000 --max-surge 3 --rollout-at 1s --duration 12s --output json > "$json" 2> "$log" || code=$?
  read -r requests errors rollout covered < <(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); t=j["terminations"]; print(j["requests"], j["errors"], j.get("rollout_s"), int(len(t) == 3 and all(x["exited_at_s"] < 12 for x in t)))' "$json" 2>/dev/null || echo "0 -1 - 0")
  # Give the kernel a moment to reap what the lab killed last, then look for anything left.
  pids=$(grep -oE '\bpid [0-9]+' "$log" | awk '{print $2}' | sort -u)
  ports=$(grep -oE '(\bport |127\.0\.0\.1:)[0-9]+' "$log" | grep -oE '[0-9]+$' | sort -u)
  alive=""; busy=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    alive=""; busy=""
    for p in $pids; do [ -d "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && alive="$alive $p"; done
    for p in $ports; do ss -Htan "( sport = :$p )" 2>/dev/null | grep -qv TIME-WAIT && busy="$busy $p"; done
    [ -z "$alive$busy" ] && break
    sleep 0.5
  done
  n_alive=$(echo $alive | wc -w); n_busy=$(echo $busy | wc -w)
  total_requests=$((total_requests + requests))
  [ "$errors" -ge 0 ] && total_errors=$((total_errors + errors)) || failed_runs=$((failed_runs + 1))
  left_pids=$((left_pids + n_alive)); left_ports=$((left_ports + n_busy))
  [ "$code" -eq 0 ] && [ "$covered" = 1 ] || failed_runs=$((failed_runs + 1))
  echo "soak: rollout $i/$runs: $requests requests, $errors errors, rollout ${rollout}s$([ "$covered" = 1 ] || echo ' (NOT covered by the load)'), exit $code, left: ${n_alive} processes${alive:+ ($alive )}, ${n_busy} ports${busy:+ ($busy )}"
  # Never leave what we found behind us, even though it is reported.
  for p in $alive; do kill -KILL "$p" 2>/dev/null || true; done
done
elapsed=$(( $(date +%s) - started ))
echo "soak: $i rollouts in ${elapsed}s: $total_requests requests, $total_errors errors, $failed_runs failed runs, $left_pids processes and $left_ports ports left behind"
[ "$total_errors" -eq 0 ] && [ "$left_pids" -eq 0 ] && [ "$left_ports" -eq 0 ] && [ "$failed_runs" -eq 0 ]
