#!/bin/bash
# build-aux/ci-session.sh: run one command in a throw-away headless desktop session.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/ci-session.sh CMD [ARGS...]
#   e.g. build-aux/ci-session.sh meson test -C _build --suite ui --suite a11y
#
# What the command gets:
#   - an Xvfb X server (xvfb-run -a picks a free display number), 1280x1024x24,
#     no TCP listener (xvfb-run adds -nolisten tcp itself);
#   - a private D-Bus session bus (dbus-run-session); the AT-SPI bus and its
#     registry daemon are D-Bus activated on demand by GTK 4 itself, so the a11y
#     tests need nothing else;
#   - a fresh HOME and XDG directories, deleted afterwards, holding an unlocked
#     "login" keyring with an empty password, so libsecret never prompts
#     (ci-session-inner.sh does that part and stops the daemons afterwards).
#
# Exit status: the command's own status (so 77 = skipped survives).
#
# Why each step (the project's copy of the recipe in the developer notes; the
# test suites must not depend on anything outside this repository):
#   - HOME/XDG_* are set BEFORE dbus-run-session: bus-activated services
#     (gnome-keyring, dconf, at-spi) get the bus daemon's environment, not the
#     caller's, and would otherwise write into the real ~/.
#   - dbus-run-session instead of letting GLib autolaunch a bus on the X display:
#     an autolaunched bus leaves ~/.dbus/session-bus/* behind and lingers.
#   - GDK_BACKEND=x11: on a developer's Wayland desktop GTK would otherwise pick
#     WAYLAND_DISPLAY and ignore Xvfb; WAYLAND_DISPLAY is unset for the same reason.
#   - GSK_RENDERER=cairo: deterministic software rendering with no GL; GTK 4.8
#     knows cairo, gl and opengl (no ngl, no vulkan in Debian's build).
#   - NO_AT_BRIDGE=1 only quiets GTK 3 / ATK helpers (gcr-prompter); GTK 4 has
#     its own AT-SPI implementation and ignores it.
#   - Never pipe this script's output into grep/head: a daemon that outlives
#     the bus keeps stdout open and the pipe never closes. Redirect to a file.
set -u

here=$(dirname "$(readlink -f "$0")")

for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ci-session.sh: '$tool' not found; run build-aux/install-deps.sh" >&2
    exit 127
  fi
done

ci_home=$(mktemp -d "${TMPDIR:-/tmp}/ci-home.XXXXXX") || exit 1
# Remove the throw-away home however we leave (normal exit, meson/timeout kill).
trap 'rm -rf "$ci_home"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

export HOME=$ci_home
export XDG_CONFIG_HOME=$HOME/.config
export XDG_DATA_HOME=$HOME/.local/share
export XDG_CACHE_HOME=$HOME/.cache
export XDG_STATE_HOME=$HOME/.local/state
export XDG_RUNTIME_DIR=$HOME/runtime
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"

export GDK_BACKEND=x11
export GSK_RENDERER=cairo
export NO_AT_BRIDGE=1
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY DISPLAY

# No "exec": the EXIT trap above must still run to delete $ci_home.
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session -- "$here/ci-session-inner.sh" "$@"
exit $?
