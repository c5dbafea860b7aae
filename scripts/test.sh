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
status=0
# One project at a time: several tests run real servers under load and time real shutdowns, and
# this machine has two cores. --blame-hang-timeout turns a hung test into a failure, not a CI timeout.
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  # env --default-signal (every signal): a shell that starts this script in the background makes its
  # children ignore SIGINT/SIGQUIT, nohup makes them ignore SIGHUP, and .NET (lameduck-init too) and bash
  # keep an inherited SIG_IGN; the tests send those signals to real child processes, so give the test
  # host default dispositions. (Under nohup without this, lameduck-init's HUP forwarding test failed.)
  env --default-signal dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 10m || status=1
done

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
# A CI log is often kept only by its tail: name each failure, with the head of its message, just above the summary.
[ "$failed" -eq 0 ] || /usr/bin/python3 scripts/trx-failures.py "$results"/*.trx || echo "(could not list the failures)"
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
