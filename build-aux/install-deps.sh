#!/bin/sh
# install-deps.sh: install everything Postsale needs to build, run and test on Debian 12.
# Used by the README's commands and by .ci/run, so there is one list to keep true.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

PACKAGES="
  build-essential pkg-config meson ninja-build gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlite3-dev sqlite3 libcairo2-dev libpango1.0-dev libzint-dev libsecret-1-dev
  libcsv-dev libuchardet-dev libcurl4-openssl-dev libgmime-3.0-dev libpoppler-glib-dev
  glib-networking librsvg2-common adwaita-icon-theme desktop-file-utils appstream appstream-util libgtk-4-bin
  xvfb xauth xfonts-base dbus-x11 at-spi2-core gnome-keyring
  python3-dogtail python3-pyatspi
  imagemagick x11-utils xdotool time
  cups cups-client printer-driver-cups-pdf libcups2-dev poppler-utils
  zbar-tools dmtx-utils python3-zxing-cpp python3-pil python3-aiosmtpd
"

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
