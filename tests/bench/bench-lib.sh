# tests/bench/bench-lib.sh: helpers shared by open.sh and orders.sh (sourced).
# SPDX-License-Identifier: GPL-3.0-or-later

# bench_run_rss OUT CMD...: runs CMD (stdin /dev/null, stdout to OUT, stderr
# to OUT.err, 90 s at most), prints its peak RSS in kB on stdout and returns
# CMD's status. Peak RSS comes from /usr/bin/time -v ("Maximum resident set
# size"; Debian package `time`), or, without GNU time or with BENCH_RSS=hwm,
# from the VmHWM high-water mark in /proc/PID/status polled until CMD exits.
bench_run_rss() {
  local out=$1
  shift
  if [ -x /usr/bin/time ] && [ "${BENCH_RSS:-}" != hwm ]; then
    timeout 90 /usr/bin/time -v -o "$out.time" "$@" >"$out" 2>"$out.err" </dev/null
    local rc=$?
    sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$out.time"
    return $rc
  fi
  # VmHWM is a high-water mark, so its last value read before the process
  # is gone is the peak, give or take the last 20 ms.
  "$@" >"$out" 2>"$out.err" </dev/null &
  local pid=$! hwm=0 v deadline=$(( SECONDS + 90 ))
  while kill -0 "$pid" 2>/dev/null; do
    v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null)
    [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
    [ $SECONDS -gt $deadline ] && kill "$pid" 2>/dev/null
    sleep 0.02
  done
  wait "$pid"
  local rc=$?
  [ "$hwm" -gt 0 ] && echo "$hwm"
  return $rc
}

# bench_rss_tool: how bench_run_rss measures, for the tables' footnotes.
bench_rss_tool() {
  if [ -x /usr/bin/time ] && [ "${BENCH_RSS:-}" != hwm ]; then
    echo "/usr/bin/time -v"
  else
    echo "VmHWM polling"
  fi
}

# bench_stats FILE KIND FIELD: "median min max count" of column FIELD over
# the lines of FILE whose first column is KIND and second is not "warmup";
# "- - - 0" when there are none, and "-" values are skipped.
bench_stats() {
  awk -v kind="$2" -v field="$3" '$1 == kind && $2 != "warmup" && $field != "-" { print $field }' "$1" |
    sort -n | awk '{ v[NR] = $1 }
      END {
        if (NR == 0) { print "- - - 0"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f %.1f %.1f %d\n", m, v[1], v[NR], NR
      }'
}

# bench_verdict VALUE OP LIMIT: "met", "MISSED", or "n/a" for a "-" value;
# OP is "<" or "<=".
bench_verdict() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "-") { print "n/a"; exit }
    ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 < l + 0)
    print ok ? "met" : "MISSED" }'
}

# bench_kb_to_mb KB: kB (KiB, as time and /proc count) as MB of 10^6 bytes.
bench_kb_to_mb() {
  awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.1f", k * 1024 / 1e6 }'
}

# bench_gsettings BUILD: the app's compiled schema from BUILD/data (unless
# GSETTINGS_SCHEMA_DIR is set) and the memory backend, so every run opens
# the same 1280x800 window and nothing is written to dconf.
bench_gsettings() {
  if [ -z "${GSETTINGS_SCHEMA_DIR:-}" ]; then
    if [ -f "$1/data/gschemas.compiled" ]; then
      export GSETTINGS_SCHEMA_DIR=$1/data
    else
      echo "no $1/data/gschemas.compiled; set GSETTINGS_SCHEMA_DIR" >&2
      return 2
    fi
  fi
  export GSETTINGS_BACKEND=memory
}

# bench_bare BUILD TMP: the path of bare-columnview (the GTK floor): the
# build's, or one compiled into TMP with cc -O2 -g and pkg-config gtk4.
bench_bare() {
  local bare=$1/tests/bench/bare-columnview
  if [ ! -x "$bare" ]; then
    bare=$2/bare-columnview
    if ! cc -O2 -g -o "$bare" "$(dirname "${BASH_SOURCE[0]}")/bare-columnview.c" \
         $(pkg-config --cflags --libs gtk4) >"$2/cc.log" 2>&1; then
      echo "cannot compile bare-columnview.c:" >&2; cat "$2/cc.log" >&2; return 1
    fi
  fi
  echo "$bare"
}

# bench_session NAME SCRIPT LOG: runs SCRIPT in one headless session
# (build-aux/ci-session.sh, GSK_RENDERER=cairo, BENCH_INNER=1 plus whatever
# BENCH_* variables the caller sets before the call), its output to LOG,
# never to a pipe (see ci-session.sh); on failure prints the end of LOG.
# Returns the session's status.
bench_session() {
  local rc
  GSK_RENDERER=cairo BENCH_INNER=1 \
    "$(dirname "${BASH_SOURCE[0]}")/../../build-aux/ci-session.sh" "$2" >"$3" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "$1: some runs failed (exit $rc):"
    grep -v -e '^dbus-daemon' -e 'SpiRegistry daemon' "$3" | tail -n 40
  fi
  return $rc
}

# bench_bare_run LABEL RUN (inside the session): one run of $BENCH_BARE
# over $BENCH_N rows; appends "bare LABEL FIRST_ROWS_MS GET_ITEM_CALLS
# PEAK_RSS_KB" to $BENCH_RESULTS, or prints the output and returns 1.
bench_bare_run() {
  local out=$BENCH_TMP/bare.$2 rss rc first calls
  rss=$(bench_run_rss "$out" "$BENCH_BARE" "$BENCH_N")
  rc=$?
  first=$(sed -n 's/^bare first-rows \([0-9.]*\) ms$/\1/p' "$out")
  if [ $rc -ne 0 ] || [ -z "$first" ]; then
    echo "bare run $2 failed (exit $rc); output:"; cat "$out" "$out.err"
    return 1
  fi
  calls=$(sed -n 's/^bare get-item-calls \([0-9]*\)$/\1/p' "$out")
  echo "bare $1 $first ${calls:--} ${rss:--}" >>"$BENCH_RESULTS"
}
