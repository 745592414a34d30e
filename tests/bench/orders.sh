#!/bin/bash
# tests/bench/orders.sh: saved filter counts and list sorts on a big database.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/orders.sh [BUILD_DIR] [DB | N_ORDERS]
#   BUILD_DIR defaults to _build (relative to the current directory or to the
#   source root). The second argument is either an existing Postsale database
#   to reuse (an older schema is migrated in place, which writes a backup copy
#   beside it first) or a number of demo orders to generate into a temporary
#   directory (postsale-cli demo --orders N: ~90 s and ~2.8 GB for 1,000,000).
#   Without it, the newest ${TMPDIR:-/tmp}/postsale-bench.*/bench.db that
#   open.sh kept (KEEP_DB=1) is reused, else 1,000,000 orders are generated.
#   Environment: RUNS (default 5) measured runs of each query after one
#   warm-up, PLANS=1 also prints SQLite's EXPLAIN QUERY PLAN of each query,
#   KEEP_DB=1 keeps a generated database, POSTSALE_NOW pins "now" (Unix
#   seconds) for the time-based filters; TZ is the merchant's time zone.
#
# tests/bench/orders-bench (built with the project) opens the database and
# times on the database worker, with the store's own SQL:
#   - each built-in saved filter: its count, its full id list (newest first)
#     and the first page of 256 ids a list reads before the rest;
#   - the counts of all built-in filters in one job, as the sidebar asks;
#   - every list sort key in both directions over all orders: the full id
#     list and its first page;
#   - search: the catch-up of the orders the search index lacks (all of
#     them after the first open with schema 3: committed, as the app
#     would), then typed texts from broad to narrow ("s", "jo", "example",
#     "sofia", the newest order's customer, its order number, the newest
#     tracking number): the first page (256 ids) in each sort order, the
#     count and the whole list; then the full index rebuilt from empty,
#     in one transaction (as the demo does) and in committed chunks of
#     2,000 orders (as the app's background catch-up does). The rebuild
#     writes to the database but leaves the index complete.
# Then a table of medians (with min and max) against the targets of
# DESIGN.md: a filter's count < 50 ms, all sidebar counts < 200 ms, a sort
# < 500 ms; the first page of a filtered list is held to the 50 ms as well;
# the first page of a search < 100 ms (issue 4).
#
# Exit status: 0 when the benchmark ran (missed targets are shown in the
# table, not as a failure), 1 when it failed, 2 on usage errors.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
src_root=$(readlink -f "$here/../..")

usage() { echo "usage: $0 [BUILD_DIR] [DB | N_ORDERS]" >&2; exit 2; }
[ $# -le 2 ] || usage
build=${1:-_build}
[ -d "$build" ] || build=$src_root/$build
[ -d "$build" ] || { echo "orders.sh: no build directory '${1:-_build}'" >&2; exit 2; }
build=$(readlink -f "$build")

cli=$build/src/cli/postsale-cli
bench=$build/tests/bench/orders-bench
for f in "$cli" "$bench"; do
  [ -x "$f" ] || { echo "orders.sh: $f not built (meson compile -C $build)" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/postsale-orders-bench.XXXXXX")
db=
generated=0
cleanup() {
  if [ "$generated" = 1 ] && [ "${KEEP_DB:-0}" = 1 ]; then
    echo "database kept: $db"
    find "$tmp" -mindepth 1 ! -name bench.db -delete
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

arg=${2:-}
if [ -n "$arg" ] && [ -f "$arg" ]; then
  db=$(readlink -f "$arg")
elif [ -z "$arg" ]; then
  db=$(ls -t "${TMPDIR:-/tmp}"/postsale-bench.*/bench.db 2>/dev/null | head -n 1)
  [ -z "$db" ] && arg=1000000
fi

if [ -z "$db" ]; then
  case $arg in ''|*[!0-9]*) echo "orders.sh: '$arg' is neither a database nor a number" >&2; usage ;; esac
  db=$tmp/bench.db
  generated=1
  echo "Generating $arg demo orders with postsale-cli ..."
  t0=$(date +%s%N)
  if ! timeout 3600 "$cli" --db "$db" demo --orders "$arg" >"$tmp/demo.log" 2>&1 </dev/null; then
    echo "orders.sh: postsale-cli demo failed:" >&2; cat "$tmp/demo.log" >&2; exit 1
  fi
  echo "  done in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi

runs=${RUNS:-5}
echo "Database: $db; $runs runs of each query after 1 warm-up"

out=$tmp/bench.out
plans=
[ "${PLANS:-0}" = 1 ] && plans=--plans
if ! "$bench" "$db" "$runs" $plans >"$out" 2>"$tmp/bench.err"; then
  echo "orders.sh: orders-bench failed:" >&2; cat "$tmp/bench.err" "$out" >&2; exit 1
fi

# Lines: KIND <tab> NAME <tab> median <tab> min <tab> max <tab> result
awk -F '\t' '
  function row(label, kind, name, target,    v) {
    if (!((kind, name) in med)) return
    v = med[kind, name]
    verdict = target == "" ? "" : (v + 0 < target + 0 ? "met" : "MISSED")
    printf "%-44s %9s %9s %9s %9s   %-8s %s\n", label, med[kind, name], lo[kind, name],
           hi[kind, name], res[kind, name], target == "" ? "" : "< " target, verdict
  }
  function srow(label, kind, name, target,    v) {
    v = med[kind, name]
    verdict = target == "" ? "" : (v + 0 < target + 0 ? "met" : "MISSED")
    printf "%-56s %9s %9s %9s %9s   %-8s %s\n", label, med[kind, name], lo[kind, name],
           hi[kind, name], res[kind, name], target == "" ? "" : "< " target, verdict
  }
  $1 == "open" { schema = $6; open_ms = $3; next }
  $1 == "orders" { n = $6; next }
  $1 == "plan" { plans[++np] = $0; next }
  { med[$1, $2] = $3; lo[$1, $2] = $4; hi[$1, $2] = $5; res[$1, $2] = $6
    if (($1 == "count") && !($2 in seen)) { seen[$2] = 1; names[++nn] = $2 }
    if ($1 == "sort" && !($2 in sseen)) { sseen[$2] = 1; sorts[++ns] = $2 }
    if ($1 ~ /^search-/ || $1 == "catchup") { skind[++nq] = $1; sname[nq] = $2 } }
  END {
    printf "\nPostsale orders benchmark: %s orders, schema %s, opened in %s ms", n, schema, open_ms
    printf " (with migrating, if it was older)\n"
    printf "(milliseconds on the database worker: median, min, max of the measured runs)\n\n"
    printf "%-44s %9s %9s %9s %9s   %s\n", "saved filter", "median", "min", "max", "orders", "target"
    for (i = 1; i <= nn; i++) {
      row(names[i] ": count", "count", names[i], 50)
      row(names[i] ": first page (256 ids)", "first-page", names[i], 50)
      row(names[i] ": all ids, newest first", "list", names[i], "")
    }
    printf "\n"
    row("all built-in filter counts, one job", "counts", "all built-in filters", 200)
    printf "\n%-44s %9s %9s %9s %9s   %s\n", "sort (all orders)", "median", "min", "max", "ids", "target"
    for (i = 1; i <= ns; i++) {
      row("sort by " sorts[i] ": all ids", "sort", sorts[i], 500)
      row("sort by " sorts[i] ": first page", "page", sorts[i], "")
    }
    if (nq > 0) {
      printf "\n%-56s %9s %9s %9s %9s   %s\n", "search", "median", "min", "max", "orders", "target"
      for (i = 1; i <= nq; i++) {
        k = skind[i]
        label = k == "search-page" ? sname[i] ": first page" : sname[i]
        if (k == "catchup") label = "catch-up: " sname[i]
        srow(label, k, sname[i], k == "search-page" ? 100 : "")
      }
    }
    if (np > 0) {
      printf "\nQuery plans (EXPLAIN QUERY PLAN):\n"
      for (i = 1; i <= np; i++) { sub(/^plan\t/, "", plans[i]); print "  " plans[i] }
    }
  }' "$out"
