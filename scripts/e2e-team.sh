#!/usr/bin/env bash
# Browser end-to-end tests of team mode: the real UI of a desktop that is a replica of a real
# hub, next to a second desktop. Started here, all on loopback:
#   - a fake Telegram bot with two clients, polled by `switchboard-hub serve`;
#   - Vera (admin) and Oleg (manager) on that hub;
#   - Vera's desktop: `wails dev` over a data directory that holds the hub's membership, its
#     session in the desktop session's keyring (what Settings → Team leaves after signing in);
#   - Oleg's desktop: `switchboard-hub replica`, without a window.
# The specs in frontend/e2e/team-mode drive Vera's UI in Chromium while Oleg acts through his
# replica and the hub's API (E2E_SUITE=team).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${E2E_TEAM_PORT:-34299}
WAILS=(go run github.com/wailsapp/wails/v2/cmd/wails@v2.12.0)
# shellcheck source=scripts/hub-fixture.sh
source scripts/hub-fixture.sh
hub_fixture_start 30m || exit 1

# Vera's data directory: a small solo inbox and what Settings → Team leaves after signing in:
# the membership (the hub, the account; no secret) in its settings, the session in the keyring.
"$H" demo --data "$work/vera" --people 20 --messages 100 --seed 3 >/dev/null 2>&1
sqlite3 "$work/vera/switchboard.db" "INSERT OR REPLACE INTO settings (key, value) VALUES ('team_hub', CAST(readfile('$work/vera.membership') AS TEXT))"

log=$work/wails-dev.log
setsid scripts/with-desktop.sh sh -c '
  set -e
  jq -j .token "$1" | secret-tool store --label "Switchboard hub session" service switchboard username hub-session
  shift
  exec "$@"
' sh "$work/vera.login" "${WAILS[@]}" dev -m -nosyncgomod -noreload -nogorebuild \
  -devserver "localhost:$PORT" -appargs "--data $work/vera" -loglevel Warning >"$log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  if curl -fsS "http://localhost:$PORT/wails/ipc.js" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[-1]}" 2>/dev/null; then echo "wails dev exited:"; cat "$log"; exit 1; fi
  sleep 1
done
curl -fsS "http://localhost:$PORT/wails/ipc.js" >/dev/null || { echo "wails dev did not come up:"; cat "$log"; exit 1; }

status=0
E2E_SUITE=team E2E_URL="http://localhost:$PORT" E2E_HUB="$hub" E2E_HUB_BIN="$H" E2E_OLEG_DATA="$work/oleg" \
  E2E_TG_LOG="$work/tg.log" npm --prefix frontend run --silent e2e || status=$?
if [[ $status -ne 0 ]]; then
  for f in wails-dev.log hub.log oleg.log tg.log; do echo "--- $f"; tail -n 40 "$work/$f"; done
fi
# The bot's token and Vera's hub session live in keyrings only: in no log, in neither store of her desktop.
hub_fixture_leak "$work/hub.log" "$work/oleg.log" "$log" "$work/vera/switchboard.db" "$work/vera/team/switchboard.db" && status=1
exit $status
