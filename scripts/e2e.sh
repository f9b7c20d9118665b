#!/usr/bin/env bash
# Browser end-to-end tests: the real UI with live Go bindings. `wails dev` builds the app, starts
# Vite and serves the UI plus the bindings on $PORT; playwright-core drives Debian's Chromium
# against it (frontend/e2e). Demo data comes from switchboard-hub, deterministic from a seed.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${E2E_PORT:-34199}
WAILS=(go run github.com/wailsapp/wails/v2/cmd/wails@v2.12.0)
work=$(mktemp -d)
data="$work/data"
log="$work/wails-dev.log"

build/bin/switchboard-hub demo --data "$data" --people 2000 --messages 20000 --seed 1 >/dev/null

# Its own process group, so cleanup stops wails, the app and vite together. The desktop session
# gives the app a real keyring and notification daemon; the null audio backend is a silent
# microphone, so voice notes are really recorded, encoded and sent in the browser tests.
setsid scripts/with-desktop.sh env SWITCHBOARD_AUDIO_BACKEND=null \
  "${WAILS[@]}" dev -m -nosyncgomod -noreload -nogorebuild \
  -devserver "localhost:$PORT" -appargs "--data $data" -loglevel Warning >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  sleep 1
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The first build of the dev app takes a while on 2 cores; the bindings are ready when
# /wails/ipc.js is served.
for _ in $(seq 1 600); do
  if curl -fsS "http://localhost:$PORT/wails/ipc.js" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "wails dev exited:"; cat "$log"; exit 1; fi
  sleep 1
done
curl -fsS "http://localhost:$PORT/wails/ipc.js" >/dev/null || { echo "wails dev did not come up:"; cat "$log"; exit 1; }

status=0
E2E_URL="http://localhost:$PORT" npm --prefix frontend run --silent e2e || status=$?
if [[ $status -ne 0 ]]; then echo "--- wails dev log"; tail -n 80 "$log"; fi
exit $status
