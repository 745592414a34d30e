#!/bin/bash
# screenshots.sh: take the AppStream screenshots (and review shots) under Xvfb.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/screenshots.sh [BUILD_DIR] [OUT_DIR] [all]
#   Writes orders.png, dashboard.png and narrow.png (400 px wide) into
#   OUT_DIR (default data/screenshots). With "all", also every page at
#   1280x800 and at 400x800 as page-<name>.png / narrow-<name>.png, for
#   reviewing a UI change.
# The demo data is generated with a fixed seed and date, so shots only
# change when the app does.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../_build}" && pwd)
out=${2:-$here/../data/screenshots}
mode=${3:-}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -z "${DISPLAY:-}" ]; then
  exec "$here/ci-session.sh" "$0" "$build" "$out" "$mode"
fi

tmp=$(mktemp -d /tmp/postsale-shots.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/demo.db
"$build/src/cli/postsale-cli" --db "$db" demo --seed 20261122 --now 2026-11-20 >/dev/null

export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory

shot () {  # shot PAGE WIDTH HEIGHT FILE
  local page=$1 w=$2 h=$3 file=$4 pid wid i
  "$build/src/postsale" --db "$db" --page "$page" >"$tmp/app.log" 2>&1 &
  pid=$!
  for i in $(seq 1 100); do
    wid=$(xdotool search --onlyvisible --name '^Postsale$' 2>/dev/null | head -n1 || true)
    [ -n "$wid" ] && break
    sleep 0.1
  done
  if [ -z "$wid" ]; then
    echo "screenshots: the window did not appear" >&2; cat "$tmp/app.log" >&2
    kill "$pid" 2>/dev/null; return 1
  fi
  xdotool windowsize "$wid" "$w" "$h"
  sleep 2.5
  import -window root -crop "${w}x${h}+0+0" +repage "$file"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "screenshots: $file"
}

shot orders 1280 800 "$out/orders.png"
shot dashboard 1280 800 "$out/dashboard.png"
shot orders 400 800 "$out/narrow.png"

if [ "$mode" = all ]; then
  for page in dashboard orders shipments automations returns improvements; do
    shot "$page" 1280 800 "$out/page-$page.png"
    shot "$page" 400 800 "$out/narrow-$page.png"
  done
fi
