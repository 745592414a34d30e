#!/bin/bash
# tests/bench/labels.sh: 1,000 labels into one PDF and into ZPL.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/labels.sh [BUILD_DIR] [N_LABELS]
#   BUILD_DIR defaults to _build (relative to the current directory or to
#   the source root); N_LABELS to 1000. Environment: RUNS (default 3)
#   measured runs of each, DPI (default 203), KEEP=1 keeps the last PDF and
#   ZPL and prints where.
#
# tests/bench/labels-bench (built with the project) renders the labels
# (cycling through the USPS, UPS, FedEx and generic styles) with the
# labels layer's own functions: ps_label_render_pdf() into one 4x6 PDF,
# and ps_label_append_zpl() for each label into one ZPL buffer. Then a
# table of medians (min, max) against the targets of DESIGN.md: PDF < 5 s,
# ZPL < 0.5 s. Exit status: 0 when it ran (missed targets are shown in the
# table, not as a failure), 1 when it failed, 2 on usage errors.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
src_root=$(readlink -f "$here/../..")

usage() { echo "usage: $0 [BUILD_DIR] [N_LABELS]" >&2; exit 2; }
[ $# -le 2 ] || usage
build=${1:-_build}
[ -d "$build" ] || build=$src_root/$build
[ -d "$build" ] || { echo "labels.sh: no build directory '${1:-_build}'" >&2; exit 2; }
build=$(readlink -f "$build")
n=${2:-1000}
case $n in ''|*[!0-9]*) usage ;; esac

bench=$build/tests/bench/labels-bench
[ -x "$bench" ] || { echo "labels.sh: $bench not built (meson compile -C $build)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/postsale-labels-bench.XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept: $tmp/labels.pdf $tmp/labels.zpl" || rm -rf "$tmp"; }
trap cleanup EXIT

runs=${RUNS:-3}
dpi=${DPI:-203}
echo "Rendering $n labels at $dpi dpi, $runs runs of each"
if ! "$bench" "$n" "$runs" "$dpi" "$tmp" >"$tmp/out" 2>"$tmp/err"; then
  echo "labels.sh: labels-bench failed:" >&2; cat "$tmp/err" "$tmp/out" >&2; exit 1
fi

pages=
if command -v pdfinfo >/dev/null; then
  pages=$(pdfinfo "$tmp/labels.pdf" | awk '/^Pages:/ { print $2 }')
  size=$(pdfinfo "$tmp/labels.pdf" | awk -F': *' '/^Page size:/ { print $2 }')
  echo "PDF: $pages pages of $size"
fi

awk -F '\t' -v n="$n" '
  BEGIN { target["pdf"] = 5000; target["zpl"] = 500
          label["pdf"] = n " labels into one PDF"; label["zpl"] = n " labels into ZPL"
          printf "%-32s %12s %9s %9s %18s   %s\n", "", "median", "min", "max", "output", "target" }
  { printf "%-32s %9s ms %9s %9s %12s bytes   < %d ms  %s\n", label[$1], $2, $3, $4, $5,
           target[$1], ($2 + 0 < target[$1]) ? "met" : "MISSED" }' "$tmp/out"

# TODO(lead): the third figure of issue 5, batch-buying 200 orders through
# the sandbox carrier with the UI responsive (no frame longer than 100 ms),
# needs the shipping service and the batch UI; it is not measured here.
echo "batch-buy 200 orders through the sandbox, longest frame: not measured yet (TODO, lead)"
