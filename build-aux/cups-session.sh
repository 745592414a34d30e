#!/bin/bash
# build-aux/cups-session.sh: run one command with a real CUPS and two test queues.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/cups-session.sh CMD [ARGS...]
#   e.g. build-aux/cups-session.sh lp -d "\$PS_TEST_PDF_PRINTER" label.pdf
#
# What the command gets, in its environment:
#   PS_TEST_PDF_PRINTER  a CUPS-PDF queue whose default paper is 4x6 in; its
#                        PDFs land in PS_TEST_PDF_DIR
#   PS_TEST_PDF_DIR      ~OWNER/PDF of the user running this (cups-pdf writes
#                        into the job owner's home, not into $HOME)
#   PS_TEST_RAW_PRINTER  a raw queue (no filters) feeding a fake AppSocket
#                        label printer on a free 127.0.0.1 port
#   PS_TEST_RAW_DIR      where that printer saves each job as job-N.bin
#
# Idempotent and polite: a cupsd that is already running is used and left
# running; one started here (needs root: CI runs as root) is stopped at the
# end unless another session's test queues are still on it. The queues have
# this session's PID in their names, so concurrent sessions (meson running
# two print tests at once) never touch each other's queues, and a
# developer's own CUPS-PDF queue is never changed.
#
# Exit status: the command's, or 77 (meson's "skipped") when CUPS cannot be
# used here (not installed, or not running and we are not root).
set -u

here=$(dirname "$(readlink -f "$0")")

skip() {
  echo "cups-session.sh: $*; skipping" >&2
  exit 77
}

for tool in cupsd lpadmin lpstat cupsenable; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
    skip "'$tool' not found (install cups and printer-driver-cups-pdf)"
done
PATH=$PATH:/usr/sbin
ppd=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
[ -f "$ppd" ] || skip "$ppd not found (install printer-driver-cups-pdf)"

state=$(mktemp -d "${TMPDIR:-/tmp}/ps-cups.XXXXXX") || exit 1
pdf_queue=PS-Test-PDF-$$
raw_queue=PS-Test-ZPL-$$
cupsd_pid=
printer_pid=

cleanup() {
  lpadmin -x "$pdf_queue" 2>/dev/null
  lpadmin -x "$raw_queue" 2>/dev/null
  if [ -n "$printer_pid" ]; then
    kill "$printer_pid" 2>/dev/null
    wait "$printer_pid" 2>/dev/null
  fi
  if [ -n "$cupsd_pid" ]; then
    # Leave it to a session that came after us and still has queues on it.
    if ! lpstat -v 2>/dev/null | grep -q 'PS-Test-'; then
      kill "$cupsd_pid" 2>/dev/null
      wait "$cupsd_pid" 2>/dev/null
    fi
  fi
  rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

scheduler_running() {
  lpstat -r 2>/dev/null | grep -q 'scheduler is running'
}

if ! scheduler_running; then
  [ "$(id -u)" = 0 ] || skip "cupsd is not running and only root may start it"
  # -f: stay in the foreground, so the PID is ours to stop; setsid: out of
  # the caller's process group, so a test runner's Ctrl+C does not reach it
  # before our cleanup does.
  setsid cupsd -f >"$state/cupsd.log" 2>&1 </dev/null &
  cupsd_pid=$!
  for _ in $(seq 100); do
    scheduler_running && break
    sleep 0.1
  done
  if ! scheduler_running; then
    # Lost a race with another session's cupsd? Then use that one.
    kill -0 "$cupsd_pid" 2>/dev/null || cupsd_pid=
    scheduler_running || { cat "$state/cupsd.log" >&2; skip "cupsd did not start"; }
  fi
fi

# The fake label printer, on a port the kernel picks.
mkdir -p "$state/raw-jobs"
/usr/bin/python3 "$here/fake-label-printer.py" "$state/raw-jobs" "$state/port" \
  >"$state/printer.log" 2>&1 </dev/null &
printer_pid=$!
for _ in $(seq 100); do
  [ -s "$state/port" ] && break
  sleep 0.05
done
[ -s "$state/port" ] || { cat "$state/printer.log" >&2; echo "cups-session.sh: the fake label printer did not start" >&2; exit 1; }
port=$(cat "$state/port")

# Both queues: "drivers/raw queues are deprecated" warnings are expected.
# pdftops-renderer-default=pdftops: the default (hybrid, i.e. Ghostscript)
# turns a cairo PDF's pages into one 300 dpi image on the way to cups-pdf,
# which looks the same but leaves pdftotext nothing to read; poppler's
# pdftops keeps the text.
if ! lpadmin -p "$pdf_queue" -E -v cups-pdf:/ -P "$ppd" -o PageSize=Custom.288x432 \
       -o pdftops-renderer-default=pdftops >"$state/lpadmin.log" 2>&1 ||
   ! lpadmin -p "$raw_queue" -E -v "socket://127.0.0.1:$port" -m raw \
       >>"$state/lpadmin.log" 2>&1; then
  cat "$state/lpadmin.log" >&2
  [ "$(id -u)" = 0 ] || skip "cannot add print queues (lpadmin needs root or the lpadmin group)"
  echo "cups-session.sh: lpadmin failed" >&2
  exit 1
fi

owner_home=$(getent passwd "$(id -un)" | cut -d: -f6)
export PS_TEST_PDF_PRINTER=$pdf_queue
export PS_TEST_PDF_DIR=${owner_home:-$HOME}/PDF
export PS_TEST_RAW_PRINTER=$raw_queue
export PS_TEST_RAW_DIR=$state/raw-jobs

"$@"
exit $?
