#!/bin/bash
# tests/bench/automation.sh: the automation runner and the time scheduler.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: [RUNS=N] [BASELINE=BUILD_DIR2] tests/bench/automation.sh [BUILD_DIR] [DB | N_ORDERS] [N_EVENTS]
#   BUILD_DIR defaults to _build. The second argument is a Postsale
#   database to COPY (never written in place; /tmp/search/s.db, 1M orders,
#   is used when present and nothing is given) or a number of demo orders
#   to generate (default 1,000,000). N_EVENTS defaults to 100,000. RUNS
#   (default 3) runs, each on a fresh copy; the table shows medians.
#   BASELINE: another build (say, of the commit before a change) whose
#   automation-bench runs alternately with this one's, on fresh copies of
#   the same database, so both sets of figures come from the same hour.
#
# tests/bench/automation-bench (built with the project) on the copy:
#   - 50 enabled rules on tracking.status_changed, N_EVENTS events appended
#     for random shipped orders, then one ps_automation_run_pending_sync()
#     over them (snapshot loads, evaluation, runs recorded, actions applied,
#     the events the actions write processed too): target < 2 s;
#   - the late-handoff time rule swept over every shipment with the
#     compiled condition (first sweep fires up to 1,000 orders; the steady
#     sweep finds nothing new): target < 1 s.
# Each figure is the wall clock of the job on the database worker, with
# that thread's CPU time beside it: on a busy machine the two differ.
# An older database is migrated once, in the first copy (a backup copy is
# written beside it first, then removed); that time is not measured. Each
# run's copy is flushed to disk (sync) before the bench opens it, so the
# runner's checkpoints do not wait for the copy's own writeback.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
root=$(dirname "$(dirname "$here")")
source "$here/bench-lib.sh"
build=${1:-_build}
[ -d "$build" ] || build="$root/$build"
bench="$build/tests/bench/automation-bench"
cli="$build/src/cli/postsale-cli"
source_db=${2:-}
events=${3:-100000}
runs=${RUNS:-3}
[ -z "$source_db" ] && [ -f /tmp/search/s.db ] && source_db=/tmp/search/s.db
[ -z "$source_db" ] && source_db=1000000

if [ ! -x "$bench" ]; then
  echo "automation.sh: $bench is not built (meson compile -C $build)" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/postsale-automation.XXXXXX")
trap 'rm -rf "$work"' EXIT
base="$work/base.db"
db="$work/bench.db"

if [[ "$source_db" =~ ^[0-9]+$ ]]; then
  echo "Generating $source_db demo orders..."
  "$cli" --db "$base" demo --orders "$source_db" > /dev/null || exit 1
else
  echo "Copying $source_db..."
  cp "$source_db" "$base" || exit 1
  "$cli" --db "$base" info > /dev/null || exit 1
  rm -f "$base".v*.bak
fi

benches=("$bench")
names=(this)
if [ -n "${BASELINE:-}" ]; then
  [ -d "$BASELINE" ] || BASELINE="$root/$BASELINE"
  if [ ! -x "$BASELINE/tests/bench/automation-bench" ]; then
    echo "automation.sh: $BASELINE/tests/bench/automation-bench is not built" >&2
    exit 2
  fi
  benches+=("$BASELINE/tests/bench/automation-bench")
  names+=(baseline)
fi

stats="$work/stats"
: > "$stats"
for run in $(seq 1 "$runs"); do
  for b in "${!benches[@]}"; do
    cp "$base" "$db" && sync "$db" || exit 1
    out="$work/bench.$run.$b.out"
    echo "Run $run of $runs, ${names[$b]} build ($(uptime | sed 's/.*load/load/'))"
    "${benches[$b]}" "$db" "$events" | tee "$out" || exit 1
    rm -f "$db" "$db-wal" "$db-shm"
    for kind in run-pending sweep-first sweep-steady; do
      awk -v k="$kind" -v n="${names[$b]}" \
        '$1 == k { gsub(/[()]/, ""); print n "/" k, "run", $2, $5 }' "$out" >> "$stats"
    done
  done
done

row() {
  local label=$1 kind=$2 target=$3
  read -r wall wmin wmax _ < <(bench_stats "$stats" "$kind" 3)
  read -r cpu _ _ _ < <(bench_stats "$stats" "$kind" 4)
  printf '%-60s %10s %17s %10s %8s %7s\n' "$label" "$wall" "$wmin-$wmax" "$cpu" "< $target" \
    "$(bench_verdict "$wall" "<" "$target")"
}

echo
echo "Medians of $runs runs (ms):"
printf '%-60s %10s %17s %10s %8s %7s\n' "work" "wall" "min-max" "cpu" "target" ""
for name in "${names[@]}"; do
  tag=""
  [ "${#names[@]}" -gt 1 ] && tag=" [$name]"
  row "$events tracking events through 50 rules$tag" "$name/run-pending" 2000
  row "time-rule sweep, every shipment (first, fires)$tag" "$name/sweep-first" 1000
  row "time-rule sweep, every shipment (steady)$tag" "$name/sweep-steady" 1000
done
