#!/bin/sh
# tests/bench/metrics.sh: the dashboard over 1,000,000 shipments (< 250 ms)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/metrics.sh BUILD_DIR [DB]
#
# DB is a database with about a million shipments; it is COPIED first
# (opening a copy migrates it and builds the metrics roll-ups; the source
# is never touched). Without DB, a demo of 1,000,000 orders is generated
# (slow). Prints: the first computation (migration not included: the copy
# is opened once before), which builds every day's roll-up; then the
# warm computation of every tile, series, chart, drill-down and pattern for
# the last 30 and 90 days, as measured on the database worker
# (elapsed_ms) and as the whole CLI process.
set -eu

build=${1:?usage: metrics.sh BUILD_DIR [DB]}
source_db=${2:-}
cli="$build/src/cli/postsale-cli"
work=$(mktemp -d /tmp/metrics-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
db="$work/bench.db"

if [ -n "$source_db" ]; then
  cp "$source_db" "$db"
else
  "$cli" --db "$db" demo --orders 1000000 > /dev/null
fi
"$cli" --db "$db" info > /dev/null            # migrate the copy once

last=$(sqlite3 "$db" "SELECT max(label_created_at) FROM shipments")
export POSTSALE_NOW="${POSTSALE_NOW:-$last}"
echo "shipments: $(sqlite3 "$db" 'SELECT count(*) FROM shipments')"

field () { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

start=$(date +%s%N)
first=$("$cli" --db "$db" metrics --json)
end=$(date +%s%N)
echo "first computation (rolls up every day): $(( (end - start) / 1000000 )) ms," \
     "$(echo "$first" | field rebuilt_days) days rebuilt"

for days in 30 90; do
  from=$(/usr/bin/python3 -c "import datetime,os; t=datetime.datetime.fromtimestamp(int(os.environ['POSTSALE_NOW'])).date(); print(t - datetime.timedelta(days=$days - 1))")
  for run in 1 2 3; do
    start=$(date +%s%N)
    out=$("$cli" --db "$db" metrics --json --from "$from")
    end=$(date +%s%N)
    echo "$days days, run $run: worker $(echo "$out" | field elapsed_ms) ms," \
         "process $(( (end - start) / 1000000 )) ms, shipments $(echo "$out" | field shipments)," \
         "patterns $(echo "$out" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["patterns"]))')"
  done
done
echo "target: every tile and chart < 250 ms"
