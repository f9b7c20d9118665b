#!/usr/bin/env bash
# Runs a command inside a throw-away desktop session like a manager's: a D-Bus session bus, an X
# server (Xvfb), an unlocked Secret Service keyring (gnome-keyring) and a notification daemon
# (dunst). Tests then use the real keyring and real notifications instead of doubles.
#   scripts/with-desktop.sh go test ./...
set -euo pipefail
if [[ ${SB_DESKTOP_SESSION:-} != 1 ]]; then
  export SB_DESKTOP_SESSION=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1440x900x24" "$0" "$@"
fi
# Inside the session. A fresh keyring directory so no real keyring is touched.
export XDG_DATA_HOME=$(mktemp -d)
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"
if command -v gnome-keyring-daemon >/dev/null; then
  eval "$(printf 'switchboard-test\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
fi
if command -v dunst >/dev/null; then
  dunst >/dev/null 2>&1 &
  dunst_pid=$!
  trap 'kill $dunst_pid 2>/dev/null || true' EXIT
  sleep 0.3
fi
"$@"
