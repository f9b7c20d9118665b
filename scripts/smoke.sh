#!/usr/bin/env bash
# Smoke test of the production binary under Xvfb: it must start, render the people list in
# WebKitGTK (Chromium is not WebKit), report it, and quit on SIGTERM even though closing the
# window only hides it to the tray. The UI calls ReportReady(rows) once the first page of the
# list is on screen; the app writes that to $SWITCHBOARD_READY_FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pid=""
trap '[[ -n $pid ]] && kill -KILL -- "-$pid" 2>/dev/null; rm -rf "$work"' EXIT
build/bin/switchboard-hub demo --data "$work/data" --people 300 --messages 3000 --seed 7 >/dev/null

export SWITCHBOARD_READY_FILE="$work/ready.json"
shot=${SMOKE_SCREENSHOT:-build/bin/smoke.png}
setsid scripts/with-desktop.sh sh -c '
  build/bin/switchboard --data "$1" &
  app=$!
  for i in $(seq 1 60); do [ -s "$SWITCHBOARD_READY_FILE" ] && break; sleep 0.5; done
  sleep 1
  import -window root "$2" 2>/dev/null || true
  kill -TERM $app
  for i in $(seq 1 20); do kill -0 $app 2>/dev/null || exit 0; sleep 0.5; done
  echo "the app did not quit within 10 s of SIGTERM"
  kill -KILL $app
  exit 3
' sh "$work/data" "$shot" >"$work/app.log" 2>&1 &
pid=$!
status=0
wait $pid || status=$?
pid=""

if [[ ! -s $SWITCHBOARD_READY_FILE ]]; then
  echo "smoke: FAIL - the app did not report a rendered people list within 30 s"
  tail -n 40 "$work/app.log"
  echo "smoke: 0 passed, 1 failed"
  exit 1
fi
rows=$(sed -E 's/.*"rows":([0-9]+).*/\1/' "$SWITCHBOARD_READY_FILE")
ms=$(sed -E 's/.*"ms":([0-9]+).*/\1/' "$SWITCHBOARD_READY_FILE")
if [[ $rows -lt 1 ]]; then
  echo "smoke: FAIL - the people list rendered $rows rows"
  echo "smoke: 0 passed, 1 failed"
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "smoke: FAIL - $(grep -m1 'did not quit' "$work/app.log" || echo "exit status $status")"
  echo "smoke: 0 passed, 1 failed"
  exit 1
fi
echo "smoke: the production binary rendered $rows people rows in ${ms} ms and quit on SIGTERM (screenshot: $shot)"
echo "smoke: 1 passed, 0 failed"
