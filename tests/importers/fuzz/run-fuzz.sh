#!/bin/sh
# run-fuzz.sh: build the importers' fuzz target with clang and libFuzzer and run it
#
# Copyright 2026 The Postsale authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/importers/fuzz/run-fuzz.sh [SECONDS] [--merge]
#
#   SECONDS  how long to fuzz (default 300)
#   --merge  afterwards, add the new inputs that reach new edges to the
#            committed corpus (tests/importers/fuzz/corpus), minimized by
#            libFuzzer's -merge=1; fuzz-replay replays them in CI
#
# Needs clang and libFuzzer: on Debian 12, `apt-get install clang
# libclang-rt-14-dev` (libclang-rt-14-dev holds libclang_rt.fuzzer). The
# build goes to $FUZZ_BUILD_DIR (default /tmp/postsale-fuzz): a meson
# build of the project with clang and ASan + UBSan, of which only the core
# and importers libraries are compiled. New inputs go to
# $FUZZ_BUILD_DIR/corpus, crashes to $FUZZ_BUILD_DIR/artifacts/.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
seconds=300
merge=no

for arg in "$@"; do
  case "$arg" in
    --merge) merge=yes ;;
    ''|*[!0-9]*) echo "usage: $0 [SECONDS] [--merge]" >&2; exit 2 ;;
    *) seconds=$arg ;;
  esac
done

build=${FUZZ_BUILD_DIR:-/tmp/postsale-fuzz}
corpus="$here/corpus"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

command -v clang >/dev/null || { echo "clang is missing: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" \
    -Dbuildtype=debug \
    -Db_lundef=false \
    -Dc_args="$sanitize -fsanitize=fuzzer-no-link" \
    -Dc_link_args="$sanitize"
fi
ninja -C "$build" src/core/libps-core.a src/importers/libps-importers.a

# shellcheck disable=SC2086
clang -g -O1 $sanitize -fsanitize=fuzzer \
  -I"$build" -I"$build/src/core" -I"$root/src/core" -I"$root/src/importers" -I"$here" \
  $(pkg-config --cflags gio-2.0 json-glib-1.0 uchardet) \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
  "$here/fuzz-import.c" \
  "$build/src/importers/libps-importers.a" "$build/src/core/libps-core.a" \
  $(pkg-config --libs gio-2.0 json-glib-1.0 uchardet) -lcsv -lm \
  -o "$build/fuzz-import"

mkdir -p "$build/corpus" "$build/artifacts"

# GLib: criticals are bugs; plain malloc so that ASan sees every block;
# dates without a zone read the same everywhere.
export G_DEBUG=fatal-criticals
export G_SLICE=always-malloc
export TZ=UTC
export LANG=C.UTF-8
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

"$build/fuzz-import" \
  -max_len=65536 \
  -max_total_time="$seconds" \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/" \
  "$build/corpus" "$corpus"

if [ "$merge" = yes ]; then
  # Edges only (no hit counters): the committed corpus stays small.
  "$build/fuzz-import" -merge=1 -use_counters=0 -max_len=65536 "$corpus" "$build/corpus"
  echo "Corpus: $(ls "$corpus" | wc -l) files, $(du -sh "$corpus" | cut -f1)"
fi
