#!/bin/bash
# tests/bench/automation.sh: the automation runner and the time scheduler.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/automation.sh [BUILD_DIR] [DB | N_ORDERS] [N_EVENTS]
#   BUILD_DIR defaults to _build. The second argument is a Postsale
#   database to COPY (never written in place; /tmp/search/s.db, 1M orders,
#   is used when present and nothing is given) or a number of demo orders
#   to generate (default 1,000,000). N_EVENTS defaults to 100,000.
#
# tests/bench/automation-bench (built with the project) on the copy:
#   - 50 enabled rules on tracking.status_changed, N_EVENTS events appended
#     for random shipped orders, then one ps_automation_run_pending_sync()
#     over them (snapshot loads, evaluation, runs recorded, actions applied,
#     the events the actions write processed too): target < 2 s;
#   - the late-handoff time rule swept over every shipment with the
#     compiled condition (first sweep fires up to 1,000 orders; the steady
#     sweep finds nothing new): target < 1 s.
# Opening an older database migrates the copy (a backup copy is written
# beside it first); that time is not measured.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
root=$(dirname "$(dirname "$here")")
build=${1:-_build}
[ -d "$build" ] || build="$root/$build"
bench="$build/tests/bench/automation-bench"
cli="$build/src/cli/postsale-cli"
source_db=${2:-}
events=${3:-100000}
[ -z "$source_db" ] && [ -f /tmp/search/s.db ] && source_db=/tmp/search/s.db
[ -z "$source_db" ] && source_db=1000000

if [ ! -x "$bench" ]; then
  echo "automation.sh: $bench is not built (meson compile -C $build)" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/postsale-automation.XXXXXX")
trap 'rm -rf "$work"' EXIT
db="$work/bench.db"

if [[ "$source_db" =~ ^[0-9]+$ ]]; then
  echo "Generating $source_db demo orders..."
  "$cli" --db "$db" demo --orders "$source_db" > /dev/null || exit 1
else
  echo "Copying $source_db..."
  cp "$source_db" "$db" || exit 1
fi

out="$work/bench.out"
"$bench" "$db" "$events" | tee "$out" || exit 1

run_ms=$(awk '/^run-pending/ {print $2}' "$out")
first_ms=$(awk '/^sweep-first/ {print $2}' "$out")
steady_ms=$(awk '/^sweep-steady/ {print $2}' "$out")
echo
printf '%-52s %10s %10s\n' "work" "ms" "target"
printf '%-52s %10s %10s\n' "$events tracking events through 50 rules" "$run_ms" "< 2000"
printf '%-52s %10s %10s\n' "time-rule sweep over every shipment (first, fires)" "$first_ms" "< 1000"
printf '%-52s %10s %10s\n' "time-rule sweep over every shipment (steady)" "$steady_ms" "< 1000"
