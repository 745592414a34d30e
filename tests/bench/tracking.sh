#!/bin/bash
# tests/bench/tracking.sh: the tracking poller's due queries and the
# clock's late-handoff sweep on a million shipments.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/tracking.sh [BUILD_DIR] [DB]
#   BUILD_DIR defaults to _build. DB is a Postsale database to work on; it
#   is changed (migrated, late handoffs flagged), so the default is a COPY
#   of /tmp/search/s.db (1,000,000 demo orders, 3.4 GB) made once into
#   ${TMPDIR:-/tmp}/postsale-track-bench/bench.db and reused; without that
#   file, 1,000,000 demo orders are generated there (postsale-cli demo).
#   The original is never opened.
#   Environment: RUNS (default 5), POSTSALE_NOW ("now", Unix seconds;
#   default: three days after the newest label, so labels of the last days
#   of the history are late handoffs), TZ (the merchant's time zone).
#
# Target (issue 6): a scheduler sweep over 1,000,000 shipments < 1 s.
set -euo pipefail

build=${1:-_build}
[ -d "$build" ] || build="$(dirname "$0")/../../$build"
bench="$build/tests/bench/tracking-bench"
cli="$build/src/cli/postsale-cli"
[ -x "$bench" ] || { echo "tracking.sh: build first ($bench is missing)" >&2; exit 2; }

db=${2:-}
if [ -z "$db" ]; then
  dir="${TMPDIR:-/tmp}/postsale-track-bench"
  db="$dir/bench.db"
  mkdir -p "$dir"
  if [ ! -f "$db" ]; then
    if [ -f /tmp/search/s.db ]; then
      echo "Copying /tmp/search/s.db to $db (never modified in place)…"
      cp --sparse=always /tmp/search/s.db "$db.tmp" && mv "$db.tmp" "$db"
    else
      echo "Generating 1,000,000 demo orders into $db…"
      "$cli" --db "$db" demo --orders 1000000 >/dev/null
    fi
  fi
fi

if [ -z "${POSTSALE_NOW:-}" ]; then
  newest=$(sqlite3 -readonly "$db" "SELECT max (label_created_at) FROM shipments")
  POSTSALE_NOW=$(( newest + 3 * 86400 ))
fi

echo "Database: $db ($(du -h "$db" | cut -f1))"
"$bench" "$db" "$POSTSALE_NOW" "${RUNS:-5}"
echo
echo "Target: a scheduler sweep over 1,000,000 shipments < 1000 ms (steady state)."
