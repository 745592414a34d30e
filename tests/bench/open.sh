#!/bin/bash
# tests/bench/open.sh: how fast Postsale opens N orders, against a bare GTK floor.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/open.sh [BUILD_DIR] [N_ORDERS=1000000]
#   BUILD_DIR defaults to _build (relative to the current directory or to the
#   source root). Environment: RUNS (default 5), WARMUP (default 1 unreported
#   run of each program first), KEEP_DB=1 keeps the generated database,
#   BENCH_RSS=hwm uses the /proc fallback below even where GNU time exists.
#
# 1. `postsale-cli demo --orders N` into a temporary database: generation time
#    and file size.
# 2. In ONE headless session (build-aux/ci-session.sh: Xvfb, private D-Bus,
#    GSK_RENDERER=cairo), alternately RUNS times each:
#      postsale --bench-startup --db DB --page orders   ("startup first-rows X ms")
#      tests/bench/bare-columnview N                    ("bare first-rows X ms")
#    with peak RSS from /usr/bin/time -v ("Maximum resident set size"), or,
#    without GNU time, from the VmHWM high-water mark in /proc/PID/status
#    polled until the process exits.
# 3. A table of medians, the ratio app/bare (target <= 1.3, STYLE.md 3.7a) and
#    the app's peak RSS (target < 150 MB).
#
# Exit status: 0 when every run produced its figures (targets missed are shown
# in the table, not as a failure), 1 when a run failed, 2 on usage errors.
# bare-columnview comes from BUILD_DIR/tests/bench when the build has it, else
# it is compiled into the temporary directory with cc and pkg-config.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
src_root=$(readlink -f "$here/../..")
# bench_run_rss, bench_stats, bench_verdict, ...
. "$here/bench-lib.sh"

# ------------------------------------------------------------------ inner part
# Runs inside ci-session.sh; writes one line per run to $BENCH_RESULTS:
#   app|bare RUN FIRST_ROWS_MS DB_OPEN_MS|- PEAK_RSS_KB
if [ "${BENCH_INNER:-}" = 1 ]; then
  : "${BENCH_RESULTS:?}" "${BENCH_TMP:?}" "${BENCH_APP:?}" "${BENCH_BARE:?}" "${BENCH_DB:?}" "${BENCH_N:?}"

  fails=0
  total=$(( ${WARMUP:-1} + ${RUNS:-5} ))
  for (( run = 1; run <= total; run++ )); do
    label=$run
    [ "$run" -le "${WARMUP:-1}" ] && label=warmup
    # Interleaved, so slow drift of the machine hits both programs alike.
    out=$BENCH_TMP/app.$run
    rss=$(bench_run_rss "$out" "$BENCH_APP" --bench-startup --db "$BENCH_DB" --page orders)
    rc=$?
    first=$(sed -n 's/^startup first-rows \([0-9.]*\) ms$/\1/p' "$out")
    open=$(sed -n 's/^startup database-open \([0-9.]*\) ms$/\1/p' "$out")
    if [ $rc -ne 0 ] || [ -z "$first" ]; then
      echo "app run $run failed (exit $rc); output:"; cat "$out" "$out.err"; fails=$((fails + 1))
    else
      echo "app $label $first ${open:--} ${rss:--}" >>"$BENCH_RESULTS"
    fi

    bench_bare_run "$label" "$run" || fails=$((fails + 1))
  done
  [ $fails -eq 0 ]
  exit $?
fi

# ------------------------------------------------------------------ outer part
usage() { echo "usage: $0 [BUILD_DIR] [N_ORDERS=1000000]" >&2; exit 2; }
[ $# -le 2 ] || usage
build=${1:-_build}
n=${2:-1000000}
case $n in ''|*[!0-9]*) usage ;; esac
[ -d "$build" ] || build=$src_root/$build
[ -d "$build" ] || { echo "open.sh: no build directory '${1:-_build}'" >&2; exit 2; }
build=$(readlink -f "$build")

app=$build/src/postsale
cli=$build/src/cli/postsale-cli
for f in "$app" "$cli"; do
  [ -x "$f" ] || { echo "open.sh: $f not built (meson compile -C $build)" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/postsale-bench.XXXXXX")
cleanup() {
  if [ "${KEEP_DB:-0}" = 1 ]; then
    echo "database kept: $tmp/bench.db"
    find "$tmp" -mindepth 1 ! -name bench.db -delete
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

bare=$(bench_bare "$build" "$tmp") || exit 1

# The app's compiled schema from the build; same window size and settings
# on every run, nothing written to dconf.
bench_gsettings "$build" || exit 2

db=$tmp/bench.db
echo "Generating $n demo orders with postsale-cli ..."
t0=$(date +%s%N)
if ! timeout 3600 "$cli" --db "$db" demo --orders "$n" >"$tmp/demo.log" 2>&1 </dev/null; then
  echo "open.sh: postsale-cli demo failed:" >&2; cat "$tmp/demo.log" >&2; exit 1
fi
gen_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
db_bytes=$(stat -c %s "$db")
for ext in -wal -shm; do
  [ -f "$db$ext" ] && db_bytes=$(( db_bytes + $(stat -c %s "$db$ext") ))
done
db_orders=$("$cli" --db "$db" info --json 2>/dev/null |
            sed -n 's/.*"orders": *\([0-9]*\).*/\1/p')

runs=${RUNS:-5}
warmup=${WARMUP:-1}
echo "Running postsale and bare-columnview ${runs}x each (+${warmup} warm-up) under Xvfb, GSK_RENDERER=cairo ..."
results=$tmp/results
: >"$results"
BENCH_RESULTS=$results BENCH_TMP=$tmp BENCH_APP=$app BENCH_BARE=$bare BENCH_DB=$db \
  BENCH_N=$n RUNS=$runs WARMUP=$warmup bench_session open.sh "$here/open.sh" "$tmp/session.log"
session_rc=$?

# ------------------------------------------------------------------ the table
read -r app_first app_first_min app_first_max app_n <<<"$(bench_stats "$results" app 3)"
read -r app_open app_open_min app_open_max _ <<<"$(bench_stats "$results" app 4)"
read -r app_rss app_rss_min app_rss_max _ <<<"$(bench_stats "$results" app 5)"
read -r bare_first bare_first_min bare_first_max bare_n <<<"$(bench_stats "$results" bare 3)"
read -r bare_calls _ _ _ <<<"$(bench_stats "$results" bare 4)"
read -r bare_rss bare_rss_min bare_rss_max _ <<<"$(bench_stats "$results" bare 5)"

mib() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.1f", k / 1024 }'; }
ratio=$(awk -v a="$app_first" -v b="$bare_first" \
  'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }')
app_rss_mb=$(bench_kb_to_mb "$app_rss")

echo
echo "Postsale open benchmark: $n orders${db_orders:+ ($db_orders in the database)}, $(nproc) CPUs, Xvfb + cairo renderer"
printf 'database: generated in %.1f s, %s MiB on disk\n' "$(awk -v m="$gen_ms" 'BEGIN { print m / 1000 }')" \
  "$(awk -v b="$db_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"
echo
printf '%-34s %9s %9s %9s %5s\n' "" median min max runs
printf '%-34s %9s %9s %9s %5s\n' "app  database-open (ms)" "$app_open" "$app_open_min" "$app_open_max" "$app_n"
printf '%-34s %9s %9s %9s %5s\n' "app  main() -> first rows (ms)" "$app_first" "$app_first_min" "$app_first_max" "$app_n"
printf '%-34s %9s %9s %9s %5s\n' "bare main() -> first rows (ms)" "$bare_first" "$bare_first_min" "$bare_first_max" "$bare_n"
printf '%-34s %9s %9s %9s %5s\n' "app  peak RSS (MiB)" "$(mib "$app_rss")" "$(mib "$app_rss_min")" "$(mib "$app_rss_max")" "$app_n"
printf '%-34s %9s %9s %9s %5s\n' "bare peak RSS (MiB)" "$(mib "$bare_rss")" "$(mib "$bare_rss_min")" "$(mib "$bare_rss_max")" "$bare_n"
printf '%-34s %9s\n' "bare get_item() calls (median)" "${bare_calls%.0}"
echo
printf '%-34s %9s   target <= 1.30: %s\n' "ratio app/bare first rows" "$ratio" "$(bench_verdict "$ratio" '<=' 1.3)"
printf '%-34s %9s   target <  150 MB: %s\n' "app peak RSS (MB, 10^6 bytes)" "$app_rss_mb" "$(bench_verdict "$app_rss_mb" '<' 150)"
echo "(medians of $runs runs after $warmup warm-up run(s); peak RSS from $(bench_rss_tool))"

[ $session_rc -eq 0 ] && [ "$app_n" -gt 0 ] && [ "$bare_n" -gt 0 ]
