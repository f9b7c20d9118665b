#!/usr/bin/env bash
# Smoke test of the production binary under Xvfb: it must start, render the people list in
# WebKitGTK (Chromium is not WebKit), and report it. The UI calls ReportReady(rows) once the first
# page of the list is on screen; the app writes that to $SWITCHBOARD_READY_FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'kill -TERM -- "-$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
build/bin/switchboard-hub demo --data "$work/data" --people 300 --messages 3000 --seed 7 >/dev/null

export SWITCHBOARD_READY_FILE="$work/ready.json"
shot=${SMOKE_SCREENSHOT:-build/bin/smoke.png}
setsid dbus-run-session -- xvfb-run -a -s "-screen 0 1440x900x24" sh -c '
  build/bin/switchboard --data "$1" &
  app=$!
  for i in $(seq 1 60); do [ -s "$SWITCHBOARD_READY_FILE" ] && break; sleep 0.5; done
  sleep 1
  import -window root "$2" 2>/dev/null || true
  kill $app; wait $app 2>/dev/null || true
' sh "$work/data" "$shot" >"$work/app.log" 2>&1 &
pid=$!
wait $pid || true

if [[ ! -s $SWITCHBOARD_READY_FILE ]]; then
  echo "smoke: FAIL - the app did not report a rendered people list within 30 s"
  cat "$work/app.log"
  exit 1
fi
rows=$(sed -E 's/.*"rows":([0-9]+).*/\1/' "$SWITCHBOARD_READY_FILE")
ms=$(sed -E 's/.*"ms":([0-9]+).*/\1/' "$SWITCHBOARD_READY_FILE")
if [[ $rows -lt 1 ]]; then
  echo "smoke: FAIL - the people list rendered $rows rows"
  exit 1
fi
echo "smoke: the production binary rendered $rows people rows in ${ms} ms (screenshot: $shot)"
echo "smoke: 1 passed, 0 failed"
