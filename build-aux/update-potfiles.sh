#!/bin/sh
# update-potfiles.sh: regenerate po/POTFILES.in from the source tree.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Lists the desktop file, the metainfo, the schema and every .c/.ui file
# under src/ that has translatable strings. tests/data checks it is current.
set -eu
cd "$(dirname "$0")/.."
{
  echo "# Files with translatable strings; regenerate with build-aux/update-potfiles.sh"
  {
    echo com.example.Postsale.desktop
    echo data/com.example.Postsale.gschema.xml
    echo data/com.example.Postsale.metainfo.xml.in
    grep -rlE '(^|[^A-Za-z0-9_])N?_ ?\(|translatable="yes"' src --include='*.c' --include='*.ui'
  } | LC_ALL=C sort -u
} > po/POTFILES.in
