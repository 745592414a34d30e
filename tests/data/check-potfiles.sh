#!/bin/sh
# check-potfiles.sh SRCDIR: po/POTFILES.in must list exactly the files with
# translatable strings (build-aux/update-potfiles.sh writes it).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/po" "$tmp/build-aux"
cp "$src/build-aux/update-potfiles.sh" "$tmp/build-aux/"
for f in com.example.Postsale.desktop; do cp "$src/$f" "$tmp/"; done
cp -r "$src/src" "$src/data" "$tmp/"
(cd "$tmp" && sh build-aux/update-potfiles.sh)
if ! diff -u "$src/po/POTFILES.in" "$tmp/po/POTFILES.in"; then
  echo "po/POTFILES.in is out of date: run build-aux/update-potfiles.sh" >&2
  exit 1
fi
# Every listed file exists.
grep -v '^#' "$src/po/POTFILES.in" | while read -r f; do
  [ -z "$f" ] || [ -f "$src/$f" ] || { echo "POTFILES.in lists missing $f" >&2; exit 1; }
done
