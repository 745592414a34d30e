#!/bin/bash
# build-aux/ci-session-inner.sh: the part of ci-session.sh that runs inside
# the private D-Bus session (started by dbus-run-session on the Xvfb display).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: only through build-aux/ci-session.sh CMD [ARGS...].
set -u

# 1. An unlocked, empty-password login keyring, so libsecret (carrier API
#    keys) and GTK's CUPS print backend (which auto-starts
#    org.freedesktop.secrets) never ask gcr-prompter for a password: under Xvfb
#    that prompt window would wait forever. The password is a single newline:
#    zero bytes on stdin mean "no password given" and trigger the prompt.
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  eval "$(echo | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
  export GNOME_KEYRING_CONTROL
fi

"$@"
rc=$?

# 2. Stop the daemons the session started by D-Bus activation (or daemonized,
#    like gnome-keyring above). They do not exit with dbus-run-session, keep
#    the caller's stdout/stderr open (a "| grep" on the session then hangs for
#    ever) and would pile up between runs. Only processes that own a name on
#    THIS private bus are killed, by PID.
for name in org.freedesktop.secrets org.gnome.keyring org.a11y.Bus ca.desrt.dconf; do
  out=$(gdbus call --session --dest org.freedesktop.DBus \
          --object-path /org/freedesktop/DBus \
          --method org.freedesktop.DBus.GetConnectionUnixProcessID "$name" 2>/dev/null) || continue
  pid=$(sed -n 's/.*uint32 \([0-9]*\).*/\1/p' <<<"$out")
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
done

exit $rc
