#!/usr/bin/env bash
# The README's test command: installs what the tests drive (Debian packages), builds everything
# with warnings as errors, publishes lameduck-init with NativeAOT, runs every test project and
# ends with the line CI reads: "Tests: N passed, N failed[, N skipped]" (summed from the TRX files).
# The tests run in two lanes (about 6.5 min on 2 cores); LAMEDUCK_TEST_LANES=1 runs one project at a time (about 11).
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
# run NAME PROJECT [dotnet test args]: one test run, its TRX file named NAME.trx.
# env --default-signal (every signal): a shell that starts this script in the background makes its
# children ignore SIGINT/SIGQUIT, nohup makes them ignore SIGHUP, and .NET (lameduck-init too) and bash
# keep an inherited SIG_IGN; the tests send those signals to real child processes, so give the test
# host default dispositions. (Under nohup without this, lameduck-init's HUP forwarding test failed.)
# --blame-hang-timeout turns a hung test into a failure, not a CI timeout.
run() {
  local name=$1 proj=$2; shift 2
  env --default-signal dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 10m "$@"
}
lanes=${LAMEDUCK_TEST_LANES:-2}
case $lanes in 1|2) ;; *) echo "scripts/test.sh: LAMEDUCK_TEST_LANES must be 1 or 2, got '$lanes'" >&2; exit 2 ;; esac
if [ "$lanes" = 1 ]; then
  # LAMEDUCK_TEST_LANES=1: one project at a time, the layout of runs 22-57 and 73-75 (docs/TESTING.md, "Full
  # runs"); slower, and the machine quieter, for telling a test's own failure from the lanes' load.
  for proj in tests/*/*.csproj; do run "$(basename "$proj" .csproj)" "$proj" || status=1; done
else
  # The default, two lanes: about 6.5 minutes instead of 11. The lanes are chosen by CPU (docs/TESTING.md, "The
  # suite's time"; tests/Lameduck.Cli.Tests/Suite/TestLanes.cs): first the CLI's parallel classes alone (its proof
  # matrix through l7 runs two rollouts at a time there); then the lab's serial rollouts (trait Lane=lab, about half
  # a core) beside the side lane: the three small projects one at a time, then the CLI's Lane=side classes
  # (verify's load tests, the lab's end-to-end runs). The side lane's output is printed after the lab lane's, so
  # neither is interleaved.
  cli=tests/Lameduck.Cli.Tests/Lameduck.Cli.Tests.csproj
  small=(tests/Lameduck.Tests/Lameduck.Tests.csproj tests/Lameduck.Init.Tests/Lameduck.Init.Tests.csproj
         tests/Lameduck.AspNetCore.Tests/Lameduck.AspNetCore.Tests.csproj)
  for proj in tests/*/*.csproj; do # a new test project must be given a lane, not skipped in silence
    case " $cli ${small[*]} " in *" $proj "*) ;; *) echo "scripts/test.sh: $proj runs in no lane; add it to 'small'" >&2; exit 1 ;; esac
  done
  run Lameduck.Cli.Tests.parallel "$cli" --filter "Lane!=lab&Lane!=side" || status=1
  side_log="$results/side-lane.log"
  # The side lane in a session of its own (setsid), so that an interrupted run can stop it with its whole group.
  export -f run; export results cli
  setsid bash -c '
    side=0
    for proj in "$@"; do run "$(basename "$proj" .csproj)" "$proj" || side=1; done
    run Lameduck.Cli.Tests.side "$cli" --filter "Lane=side" || side=1
    exit $side' side-lane "${small[@]}" > "$side_log" 2>&1 &
  side_pid=$!
  trap 'kill -TERM -- -$side_pid 2>/dev/null; exit 130' INT TERM
  run Lameduck.Cli.Tests.lab "$cli" --filter "Lane=lab" || status=1
  wait $side_pid || status=1
  trap - INT TERM
  echo "== side lane (ran beside the lab lane): the small projects, then the CLI's Lane=side classes"
  cat "$side_log"
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
# A CI log is often kept only by its tail: name each failure, with the head of its message, just above the summary.
[ "$failed" -eq 0 ] || /usr/bin/python3 scripts/trx-failures.py "$results"/*.trx || echo "(could not list the failures)"
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
