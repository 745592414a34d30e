#!/bin/sh
# check-potfiles.sh: fail if po/POTFILES.in misses a source file with translatable strings,
# lists a file that does not exist, or is not sorted. Fix with build-aux/update-potfiles.sh.
# Usage: check-potfiles.sh SOURCE_ROOT
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "${1:?usage: check-potfiles.sh SOURCE_ROOT}"

[ -d src ] || { echo "no src/ directory in $PWD" >&2; exit 1; }

# Keep in step with build-aux/update-potfiles.sh.
pattern='(^|[^A-Za-z0-9_])(N?C?_|ngettext|g_dngettext|g_dpgettext2?)[[:space:]]*\(|translatable="yes"'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Entries: no comments or blank lines, surrounding spaces removed.
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in \
  > "$tmp/listed"

status=0

while IFS= read -r file; do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in lists $file, which does not exist"
    status=1
  fi
done < "$tmp/listed"

find -H src -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' \) -print | LC_ALL=C sort \
  | while IFS= read -r file; do
      if grep -Eq "$pattern" "$file" && ! grep -Fqx "$file" "$tmp/listed"; then
        echo "$file has translatable strings but is not in po/POTFILES.in"
        echo missing >> "$tmp/missing"
      fi
    done
[ -e "$tmp/missing" ] && status=1

for file in com.example.Postsale.desktop data/com.example.Postsale.gschema.xml \
            data/com.example.Postsale.metainfo.xml.in; do
  if ! grep -Fqx "$file" "$tmp/listed"; then
    echo "$file is not in po/POTFILES.in"
    status=1
  fi
done

if ! LC_ALL=C sort -c -u "$tmp/listed" 2> /dev/null; then
  echo "po/POTFILES.in is not sorted or has duplicates"
  status=1
fi

if [ "$status" -ne 0 ]; then
  echo "Run build-aux/update-potfiles.sh to regenerate po/POTFILES.in."
else
  echo "po/POTFILES.in: $(wc -l < "$tmp/listed") files, all present"
fi
exit "$status"
