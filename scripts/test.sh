#!/usr/bin/env bash
# The README's test command: installs what the tests drive (Debian packages), builds everything
# with warnings as errors, publishes lameduck-init with NativeAOT, runs every test project and
# ends with the line CI reads: "Tests: N passed, N failed[, N skipped]" (summed from the TRX files).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

echo "== restore and build (Release, warnings as errors)"
dotnet build Lameduck.slnx -c Release -warnaserror -nologo -v:q -clp:NoSummary

echo "== publish lameduck-init (NativeAOT, net9.0)"
dotnet publish src/Lameduck.Init -c Release -f net9.0 -r linux-x64 -o "$root/artifacts/lameduck-init" -nologo -v:q -clp:NoSummary
export LAMEDUCK_INIT_BIN="$root/artifacts/lameduck-init/lameduck-init"

echo "== test"
# --blame-hang-timeout turns a hung test into a failure, not a CI timeout.
# env --default-signal (every signal): a shell that starts this script in the background makes its children ignore
# SIGINT/SIGQUIT, nohup makes them ignore SIGHUP, and .NET (lameduck-init too) and bash keep an inherited SIG_IGN; the
# tests send those signals to real child processes, so give the test hosts default dispositions. (Under nohup without
# this, lameduck-init's HUP forwarding test failed.)
run_project() {
  local proj=$1 name
  name=$(basename "$proj" .csproj)
  env --default-signal dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 10m 2>&1 | sed -u "s/^/[$name] /"
}
# Two lanes: Lameduck.Cli.Tests (the lab's rollouts, about 10 minutes) in one, the three other projects one after
# another (about 2 minutes) in the other. Within a lane one project at a time: their tests time real shutdowns, and
# this machine has two cores. LAMEDUCK_TEST_LANES=1 runs every project in one lane, as before.
long=tests/Lameduck.Cli.Tests/Lameduck.Cli.Tests.csproj
short=()
for proj in tests/*/*.csproj; do [ "$proj" = "$long" ] || short+=("$proj"); done
status=0
if [ "${LAMEDUCK_TEST_LANES:-2}" = 1 ]; then
  for proj in "${short[@]}" "$long"; do run_project "$proj" || status=1; done
else
  ( s=0; for proj in "${short[@]}"; do run_project "$proj" || s=1; done; exit $s ) &
  lane=$!
  # If this script stops early, stop the other lane with it (its dotnet test, which stops its test host).
  trap 'pkill -TERM -P "$lane" 2>/dev/null; kill "$lane" 2>/dev/null; true' EXIT
  run_project "$long" || status=1
  wait "$lane" || status=1
  trap - EXIT
fi

# Sum the counters of every TRX file.
passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); t=$(get total); e=$(get executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
[ "$files" -gt 0 ] || { echo "no TRX results were written" >&2; status=1; }
[ "$passed" -gt 0 ] || { echo "no test passed" >&2; status=1; }
[ "$failed" -eq 0 ] || status=1
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
