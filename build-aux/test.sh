#!/bin/bash
# test.sh: the whole test pipeline (README command 2, and what .ci/run runs) for Postsale on a clean clone (Debian 12, 2 cores).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/test.sh   (from anywhere; it works in the repository root)
#   Deletes and recreates _build-ci, _build-ci-asan and _build-ci-logs there.
#
# Steps (STYLE.md 3.15), each one's full output going to _build-ci-logs/<step>.log:
#   1. build-aux/install-deps.sh (apt-get; a no-op when everything is there)
#   2. meson setup _build-ci --werror; meson compile -C _build-ci
#   3. every suite under build-aux/ci-session.sh (Xvfb + private D-Bus +
#      unlocked keyring), because ui and a11y need the display
#   4. meson setup _build-ci-asan with AddressSanitizer + UBSan; the suites that
#      need no display and do not only validate data files:
#      meson test -C _build-ci-asan --no-suite ui --no-suite a11y --no-suite data
#      (with a short allocation stack, 8 frames), then the deep-stacks suite
#      alone with the full one (meson-logs/testlog-deep.json)
#   5. the closing line, counted from the runs' meson-logs/testlog*.json:
#        N passed, N failed[, N skipped]
#      OK/EXPECTEDFAIL count as passed, FAIL/TIMEOUT/ERROR/UNEXPECTEDPASS as
#      failed, SKIP as skipped. It is always the last line printed; a failed
#      build step prints "0 passed, 1 failed". Exit status 0 only when nothing
#      failed.
# Only summaries and the failing tests' own logs are printed here.
# Typical time on 2 cores with the packages installed: about 10 minutes;
# every step has a hard time limit so the whole run stays below 20 minutes.
set -uo pipefail

cd "$(dirname "$(readlink -f "$0")")/.." || exit 1
ROOT=$PWD
LOGS=$ROOT/_build-ci-logs     # matches .gitignore's /_build*/
PY=/usr/bin/python3          # Debian's python (gi, dogtail); not pyenv's
rm -rf "$LOGS" _build-ci _build-ci-asan
mkdir -p "$LOGS"

start_all=$(date +%s)
# Hard ceiling for the whole run (a normal run takes a few minutes): each
# step's own limit is cut to what is left of it, so a hang anywhere still
# ends with the closing line before 20 minutes.
BUDGET_S=1140

# limit_for STEP_LIMIT: the step's time limit within the remaining budget
limit_for() {
  local left=$(( BUDGET_S - ($(date +%s) - start_all) - 15 ))
  [ "$left" -lt 1 ] && left=1
  [ "$1" -lt "$left" ] && left=$1
  echo "$left"
}

step_start() {
  step_name=$1
  step_t0=$(date +%s)
  printf '== %s ...\n' "$step_name"
}

# build_failed LOG RC: a build step failed; show its log's tail and close.
build_failed() {
  local log=$1 rc=$2
  printf '== %s FAILED (exit %s, %ss); last lines of %s:\n' \
    "$step_name" "$rc" "$(( $(date +%s) - step_t0 ))" "${log#$ROOT/}"
  tail -n 60 "$log" | sed 's/^/   | /'
  echo
  echo "0 passed, 1 failed"
  exit 1
}

# run_step NAME TIMEOUT LOG CMD...: a step that must succeed.
run_step() {
  local name=$1 limit log=$3
  limit=$(limit_for "$2")
  shift 3
  step_start "$name"
  # timeout kills the whole process group on expiry (exit 124).
  timeout --kill-after=20 "$limit" "$@" >"$log" 2>&1 </dev/null
  local rc=$?
  if [ $rc -ne 0 ]; then
    [ $rc -eq 124 ] && echo "   (time limit of ${limit}s reached)" >>"$log"
    build_failed "$log" $rc
  fi
  printf '== %s ok (%ss)\n' "$name" "$(( $(date +%s) - step_t0 ))"
}

# run_tests NAME TIMEOUT LOG CMD...: a meson test run; its status is judged
# from testlog.json at the end, not here (meson exits 1 on any failure).
run_tests() {
  local name=$1 limit log=$3
  limit=$(limit_for "$2")
  shift 3
  step_start "$name"
  timeout --kill-after=20 "$limit" "$@" >"$log" 2>&1 </dev/null
  local rc=$?
  [ $rc -eq 124 ] && echo "   (time limit of ${limit}s reached)" | tee -a "$log"
  printf '== %s finished, meson test exit %s (%ss), log: %s\n' \
    "$name" "$rc" "$(( $(date +%s) - step_t0 ))" "${log#$ROOT/}"
  return $rc
}

# ---------------------------------------------------------------- 1. deps
run_step "install-deps" 900 "$LOGS/install-deps.log" bash build-aux/install-deps.sh
tail -n 1 "$LOGS/install-deps.log" | sed 's/^/   /'

# ---------------------------------------------------------------- 2. build
run_step "setup _build-ci (--werror)" 120 "$LOGS/setup.log" meson setup _build-ci --werror
run_step "compile _build-ci" 600 "$LOGS/compile.log" meson compile -C _build-ci

# ---------------------------------------------------------------- 3. tests
# All suites in one headless session: ui/a11y need Xvfb and a session bus,
# and the model suites do not mind having them. The wrapper's output goes to
# a file, never through a pipe (a daemon that outlives the bus would keep the
# pipe open).
run_tests "meson test _build-ci (all suites, Xvfb)" 600 "$LOGS/test.log" \
  build-aux/ci-session.sh meson test -C _build-ci --print-errorlogs --num-processes 2
main_rc=$?

# ---------------------------------------------------------------- 4. ASan/UBSan
run_step "setup _build-ci-asan" 120 "$LOGS/setup-asan.log" \
  meson setup _build-ci-asan -Db_sanitize=address,undefined -Db_lundef=false
run_step "compile _build-ci-asan" 600 "$LOGS/compile-asan.log" meson compile -C _build-ci-asan

# LeakSanitizer stays ON. Measured here on the model suites: the only reports
# that are not ours come from GLib's g_set_user_dirs(), which g_test_init
# (G_TEST_OPTION_ISOLATE_DIRS) calls for every test case and which keeps the
# replaced directory strings alive on purpose (callers may still hold them).
# Suppress exactly that instead of detect_leaks=0, which would also hide the
# project's own leaks (a forgotten g_object_unref in the store is the kind of
# bug this run is for). fontconfig's caches, reached through pango/cairo in the
# labels tests, are the other well-known one-time allocation.
# fast_unwind_on_malloc=0: Debian's GLib is built without frame pointers, so
# the fast unwinder stops at g_malloc and no suppression could match the
# caller (reports show "<unknown module>"). The price is the slow unwinder on
# every malloc, which walks malloc_context_size frames: 8 instead of the
# default 30 still reaches g_set_user_dirs (5 does not: the suppression then
# misses) and names the Postsale function behind any leak, and takes
# tests/services/test-demo from 63 s to 37 s (5 s without ASan). Hence also
# --timeout-multiplier 3 below. If this run ever gets too slow,
# detect_leaks=0 + fast unwinding is the fallback (and loses leak detection).
# To add an entry: read the report in _build-ci-asan/meson-logs/testlog.txt and
# suppress the GLib/GTK function, never a Postsale one.
LSAN_SUPP=$LOGS/lsan.supp
cat >"$LSAN_SUPP" <<'EOF'
leak:g_set_user_dirs
leak:libfontconfig.so
EOF
# G_SLICE=always-malloc: GLib 2.74 still has the slice allocator; with it,
# GSlice blocks are invisible to ASan (use-after-free inside a magazine).
export G_SLICE=always-malloc
export ASAN_OPTIONS=fast_unwind_on_malloc=0:malloc_context_size=8:detect_leaks=1:abort_on_error=0
export LSAN_OPTIONS=suppressions=$LSAN_SUPP:fast_unwind_on_malloc=0:malloc_context_size=8:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_tests "meson test _build-ci-asan (no ui/a11y/data)" 600 "$LOGS/test-asan.log" \
  meson test -C _build-ci-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 \
    --no-suite ui --no-suite a11y --no-suite data --no-suite deep-stacks
asan_rc=$?
# The deep-stacks suite's own suppressions (__lsan_default_suppressions in
# the test) name GDBus and libsoup frames 10-20 calls below malloc: those
# few tests get the default 30-frame unwind.
export ASAN_OPTIONS=${ASAN_OPTIONS/malloc_context_size=8/malloc_context_size=30}
export LSAN_OPTIONS=${LSAN_OPTIONS/malloc_context_size=8/malloc_context_size=30}
run_tests "meson test _build-ci-asan (deep-stacks)" 180 "$LOGS/test-asan-deep.log" \
  meson test -C _build-ci-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 \
    --logbase testlog-deep --suite deep-stacks
asan_deep_rc=$?
unset G_SLICE ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

# ---------------------------------------------------------------- 5. summary
echo "== total time $(( $(date +%s) - start_all ))s"
"$PY" - "_build-ci:$main_rc" "_build-ci-asan:$asan_rc" "_build-ci-asan:$asan_deep_rc:testlog-deep" <<'PYEOF'
import json, os, sys

PASSED = {'OK', 'EXPECTEDFAIL'}
FAILED = {'FAIL', 'TIMEOUT', 'ERROR', 'UNEXPECTEDPASS'}
GUI_SUITES = ('ui', 'a11y')
MAX_LOG_LINES = 80

n_pass = n_fail = n_skip = 0
for arg in sys.argv[1:]:
    build, rc, *logbase = arg.split(':')
    rc = int(rc)
    logbase = logbase[0] if logbase else 'testlog'
    label = build if logbase == 'testlog' else f'{build} ({logbase})'
    path = os.path.join(build, 'meson-logs', logbase + '.json')
    results = []
    try:
        with open(path) as f:
            results = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        print(f'-- {label}: no usable {path} ({e}); counted as 1 failure')
        n_fail += 1
        continue
    counts = {}
    failed = []
    gui = []
    for r in results:
        res = r.get('result', 'ERROR')
        counts[res] = counts.get(res, 0) + 1
        if res in PASSED:
            n_pass += 1
        elif res == 'SKIP':
            n_skip += 1
        else:
            n_fail += 1
            failed.append(r)
        suite = r['name'].split(':', 1)[-1].split(' / ', 1)[0]
        if suite in GUI_SUITES:
            gui.append(res)
    print(f'-- {label}: ' + ', '.join(f'{v} {k}' for k, v in sorted(counts.items()))
          + f' ({len(results)} tests)')
    for r in results:
        if r.get('result') not in PASSED:
            print(f'   {r.get("result", "?"):<14} {r.get("duration", 0):6.2f}s  {r["name"]}')
    # A GUI suite that skipped everything means the display was missing: in
    # CI there is Xvfb, so that must not look green.
    if gui and all(g == 'SKIP' for g in gui):
        print(f'-- {label}: every ui/a11y test was SKIPPED (no display?): counted as 1 failure')
        n_fail += 1
    if rc != 0 and not failed:
        print(f'-- {label}: meson test exited {rc} without a failed test '
              '(rebuild error, time limit or interrupted run): counted as 1 failure')
        n_fail += 1
    for r in failed:
        print(f'\n---- {r["name"]}: {r.get("result")} (exit {r.get("returncode")}, '
              f'{r.get("duration", 0):.1f}s) ----')
        print('   command: ' + ' '.join(r.get('command', []))[:400])
        for stream in ('stdout', 'stderr'):
            text = r.get(stream) or ''
            lines = text.rstrip('\n').splitlines()
            if not lines:
                continue
            if len(lines) > MAX_LOG_LINES:
                print(f'   [{stream}: last {MAX_LOG_LINES} of {len(lines)} lines]')
                lines = lines[-MAX_LOG_LINES:]
            else:
                print(f'   [{stream}]')
            for line in lines:
                print('   | ' + line)
    if failed:
        print(f'   (full logs: {build}/meson-logs/{logbase}.txt)')
    print()

line = f'{n_pass} passed, {n_fail} failed'
if n_skip:
    line += f', {n_skip} skipped'
print(line)
sys.exit(3 if n_fail else 0)
PYEOF
summary_rc=$?
case $summary_rc in
  0) exit 0 ;;
  3) exit 1 ;;
  *) echo "(the summary script itself failed, exit $summary_rc)"
     echo "0 passed, 1 failed"
     exit 1 ;;
esac
