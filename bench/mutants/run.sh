#!/usr/bin/env bash
# Mutation testing of the parts where a silent bug loses requests (issue 13).
#
#   bash bench/mutants/run.sh [--baseline] [--keep] [MUTANT_ID ...]
#
# Copies the committed tree (git archive HEAD) to a temporary directory, builds it once, then applies the
# mutants of bench/mutants/mutants.py ONE AT A TIME to that copy: rebuilds the test project concerned (and, for
# lameduck-init's mutants, re-publishes the NativeAOT binary from the mutated copy), runs that project's tests
# filtered to the classes that guard the code, and restores the file. The working tree is never touched.
#
# A mutant is "killed" when at least one test fails, "survived" when all pass; "unapplied" when its anchor text
# is no longer in the source, "invalid" when the mutated tree does not build, "no-tests" when the filter matched
# nothing: none of these counts as killed. Prints a table and exits non-zero unless every mutant was killed.
#
#   --baseline   first run every distinct filter on the unmutated copy (a kill means nothing if it fails anyway)
#   --keep       keep the copy (its path is printed) instead of deleting it on exit
#   MUTANT_ID    run only these mutants (bench/mutants/mutants.py list shows them)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
table="$here/mutants.py"
baseline=0 keep=0 only=()
for arg in "$@"; do
  case "$arg" in
    --baseline) baseline=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $arg (--baseline, --keep, or mutant ids)" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done

copy=$(mktemp -d /tmp/lameduck-mutants.XXXXXX)
child=""
cleanup() {
  # The test run in progress (its own process group, see run_group) and everything it started.
  if [ -n "$child" ]; then kill -TERM -- "-$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  if [ "$keep" = 1 ]; then echo "kept the copy: $copy"; else rm -rf "$copy"; fi
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

# The run uses a snapshot of the table: editing mutants.py meanwhile does not change it.
cp "$table" "$copy/.mutants.py" && table="$copy/.mutants.py"
mapfile -t all < <(python3 "$table" list)
[ ${#all[@]} -gt 0 ] || exit 2
selected=()
for line in "${all[@]}"; do
  id=${line%%$'\t'*}
  if [ ${#only[@]} -eq 0 ]; then selected+=("$line"); continue; fi
  for want in "${only[@]}"; do [ "$want" = "$id" ] && selected+=("$line"); done
done
for want in "${only[@]}"; do
  printf '%s\n' "${all[@]}" | cut -f1 | grep -qx -- "$want" || { echo "run.sh: no mutant '$want'" >&2; exit 2; }
done

# Runs a command in its own process group (so Ctrl-C cleanup can end all of it), output to a log file.
run_group() {
  local log=$1; shift
  set -m
  "$@" >"$log" 2>&1 &
  child=$!
  set +m
  wait "$child"; local rc=$?
  child=""
  return $rc
}

started=$(date +%s)
commit=$(git -C "$repo" rev-parse --short HEAD)
echo "== copy of $commit (committed tree) in $copy"
git -C "$repo" archive HEAD | tar -x -C "$copy" || exit 2
cd "$copy" || exit 2
mkdir -p logs results

# MSBuild nodes must not outlive the run holding the copy open; the compiler server is shared and harmless.
build_flags=(-c Release -nologo -v:q -clp:NoSummary -warnaserror -nodeReuse:false)

# Only the test projects the selected mutants need (they reference what they test, samples included).
mapfile -t projects < <(printf '%s\n' "${selected[@]}" | cut -f2 | sort -u)
echo "== build (Release) of the copy: ${projects[*]}"
t0=$(date +%s)
for project in "${projects[@]}"; do
  if ! run_group logs/build.log dotnet build "$project" "${build_flags[@]}"; then
    tail -n 30 logs/build.log; echo "run.sh: the unmutated copy does not build ($project)" >&2; exit 2
  fi
done
echo "   $(( $(date +%s) - t0 )) s"

needs_init=0
for line in "${selected[@]}"; do [ "$(cut -f4 <<<"$line")" = 1 ] && needs_init=1; done
publish_init() { # $1: output directory
  run_group "logs/publish-$(basename "$1").log" dotnet publish src/Lameduck.Init -c Release -f net9.0 -r linux-x64 -o "$1" -nologo -v:q -clp:NoSummary -nodeReuse:false
}
if [ "$needs_init" = 1 ]; then
  echo "== publish lameduck-init (NativeAOT) of the copy"
  t0=$(date +%s)
  publish_init "$copy/artifacts/init-base" || { tail -n 30 logs/publish-init-base.log; echo "run.sh: publishing lameduck-init failed" >&2; exit 2; }
  echo "   $(( $(date +%s) - t0 )) s"
fi
base_init="$copy/artifacts/init-base/lameduck-init"

# Runs PROJECT with FILTER; writes results/NAME.trx; sets passed/failed/failed_names.
run_tests() { # name project filter init-binary
  local name=$1 project=$2 filter=$3 init=$4
  rm -f "results/$name.trx"
  LAMEDUCK_INIT_BIN=$init run_group "logs/test-$name.log" env --default-signal \
    dotnet test "$project" -c Release --no-build --nologo --filter "$filter" \
    --logger "trx;LogFileName=$name.trx" --results-directory results --blame-hang-timeout 5m
  test_rc=$?
  read -r passed failed failed_names < <(python3 - "results/$name.trx" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 0, "-"); sys.exit()
results = root.findall(".//t:UnitTestResult", ns)
failed = [r.get("testName") for r in results if r.get("outcome") == "Failed"]
passed = sum(1 for r in results if r.get("outcome") == "Passed")
# The short name: Class.Method, without namespace or theory arguments.
short = sorted({".".join(n.split("(")[0].split(".")[-2:]) for n in failed})
print(passed, len(failed), ",".join(short) or "-")
EOF
)
}

if [ "$baseline" = 1 ]; then
  echo "== baseline: every filter on the unmutated copy"
  declare -A seen=()
  for line in "${selected[@]}"; do
    IFS=$'\t' read -r id project filter init <<<"$line"
    key="$project|$filter"
    [ -n "${seen[$key]:-}" ] && continue
    seen[$key]=1
    t0=$(date +%s)
    run_tests "baseline-$id" "$project" "$filter" "$base_init"
    printf '   %-34s %3d passed %3d failed  %4d s\n' "$id" "$passed" "$failed" "$(( $(date +%s) - t0 ))"
    if [ "$failed" -gt 0 ] || [ "$test_rc" -ne 0 ] || [ "$passed" -eq 0 ]; then
      echo "run.sh: the filter of $id does not pass on the unmutated tree ($failed_names); see $copy/logs/test-baseline-$id.log" >&2
      keep=1; exit 2
    fi
  done
fi

echo "== mutants (${#selected[@]})"
rows=()
bad=0 n=0
for line in "${selected[@]}"; do
  IFS=$'\t' read -r id project filter init <<<"$line"
  IFS=$'\t' read -r file description < <(python3 "$table" show "$id")
  n=$((n + 1))
  t0=$(date +%s)
  result="" tests="-"
  cp -p "$file" "$file.pristine" 2>/dev/null
  if ! python3 "$table" apply "$id" "$copy" 2>"logs/apply-$id.log"; then
    result="unapplied"; tests=$(head -n 1 "logs/apply-$id.log")
  elif ! run_group "logs/build-$id.log" dotnet build "$project" "${build_flags[@]}"; then
    result="invalid"; tests=$(grep -m 1 -oE 'error [A-Z]+[0-9]+: [^[]*' "logs/build-$id.log" || echo "build failed")
  else
    binary=$base_init
    if [ "$init" = 1 ]; then
      if publish_init "$copy/artifacts/init-$id"; then binary="$copy/artifacts/init-$id/lameduck-init"
      else result="invalid"; tests="lameduck-init did not publish (logs/publish-init-$id.log)"; fi
    fi
    if [ -z "$result" ]; then
      run_tests "$id" "$project" "$filter" "$binary"
      if [ "$failed" -gt 0 ]; then result="killed"; tests=$failed_names
      elif [ "$test_rc" -ne 0 ]; then result="killed"; tests="test run aborted (exit $test_rc, logs/test-$id.log)"
      elif [ "$passed" -eq 0 ]; then result="no-tests"
      else result="survived"; tests="$passed passed"
      fi
    fi
    rm -rf "$copy/artifacts/init-$id"
  fi
  # Restore the file and make it newer than the mutated build's outputs, so the next build recompiles it.
  [ -f "$file.pristine" ] && mv "$file.pristine" "$file" && touch "$file"
  secs=$(( $(date +%s) - t0 ))
  [ "$result" = killed ] || bad=$((bad + 1))
  printf '[%2d/%d] %-9s %-34s %4d s  %s\n' "$n" "${#selected[@]}" "$result" "$id" "$secs" "$tests"
  rows+=("$id"$'\t'"$file"$'\t'"$description"$'\t'"$(basename "$(dirname "$project")")"$'\t'"$filter"$'\t'"$result"$'\t'"$tests"$'\t'"$secs")
done

total=$(( $(date +%s) - started ))
echo
echo "== results ($(date -u +%Y-%m-%d), commit $commit, $((total / 60)) min $((total % 60)) s)"
echo
echo "| mutant | file | bug | test project: filter | result | failing tests | s |"
echo "|---|---|---|---|---|---|---|"
for row in "${rows[@]}"; do
  IFS=$'\t' read -r id file description proj filter result tests secs <<<"$row"
  filter=${filter//FullyQualifiedName~/}
  filter=${filter//|/ \\| }
  echo "| $id | \`$file\` | $description | $proj: \`$filter\` | **$result** | ${tests//,/, } | $secs |"
done
echo
killed=$(( ${#rows[@]} - bad ))
echo "$killed of ${#rows[@]} mutants killed, $bad not killed (survived, invalid, unapplied or no tests)"
[ "$bad" -eq 0 ]
