#!/usr/bin/env bash
# Installs what building and testing Switchboard needs on Debian/Ubuntu: the GTK/WebKit headers
# Wails links against, Xvfb and Chromium for the UI tests, D-Bus/keyring/notification daemons
# for headless desktop tests, and the audio tools the voice tests check files with.
# Safe to run again: it installs only what is missing. Other systems: see README.md.
set -euo pipefail

packages=(
  build-essential pkg-config git ca-certificates
  libgtk-3-dev libwebkit2gtk-4.1-dev          # Wails v2 on Linux (build tag webkit2_41)
  libsqlite3-dev                               # not linked (go-sqlite3 bundles SQLite), handy for sqlite3 CLI users
  xvfb xauth dbus dbus-x11 x11-utils imagemagick fonts-noto-color-emoji  # headless window, screenshots
  xdotool                                      # make bench: real key presses into the app window
  chromium                                     # browser end-to-end tests (playwright-core drives it)
  gnome-keyring libsecret-1-dev                # OS keyring for tokens (go-keyring, Secret Service)
  dunst libnotify-bin                          # notification daemon (D-Bus) under Xvfb
  libopus-dev libopusfile-dev libasound2-dev libpulse-dev  # voice: Opus encoder, capture backends
  opus-tools ffmpeg espeak-ng sox              # voice tests: real speech in, opusinfo/ffprobe out
  nodejs npm
  curl jq sqlite3 libsecret-tools              # team smoke test: sign in to a hub, seed a desktop's membership
)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-deps: not a Debian/Ubuntu system; install the equivalents of: ${packages[*]} (see README.md)" >&2
  exit 0
fi

exec bash "$(dirname "$0")/apt-install.sh" install-deps "${packages[@]}"
