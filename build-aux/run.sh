#!/bin/sh
# run.sh: install what Postsale needs, build it, and open it.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The first start with no database creates a realistic demo history (and
# says so in a banner). Extra arguments go to the app, e.g.
#   build-aux/run.sh --db /tmp/shop.db
set -eu
cd "$(dirname "$0")/.."

sh build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build

# Run from the build tree: the settings schema is compiled there, not
# installed (use `meson install` for a system-wide install).
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
exec ./_build/src/postsale "$@"
