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
H=$PWD/build/bin/switchboard-hub
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/faketelegram" ./backend/channel/fakeapi/faketelegram
(
  cd "$work"
  setsid ./faketelegram --addr-file tg.addr --messages 2 --keep --timeout 30m >tg.log 2>&1 &
  echo $! >tg.pid
)
pids+=("$(cat "$work/tg.pid")")
for _ in $(seq 1 100); do [[ -s $work/tg.addr ]] && break; sleep 0.1; done
read -r tg_url tg_token <"$work/tg.addr"
(umask 077 && printf '%s' "$tg_token" >"$work/bot.token")
"$H" channel add telegram --token-file "$work/bot.token" --api-url "$tg_url" --data "$work/hub" --tokens file >/dev/null
(umask 077 && printf 'vera-password-1\n' >"$work/vera.password" && printf 'oleg-password-1\n' >"$work/oleg.password" &&
  printf 'oleg@example.com\noleg-password-1\n' >"$work/oleg.credentials")
"$H" user add --data "$work/hub" --email vera@example.com --name Vera --role admin <"$work/vera.password" >/dev/null
"$H" user add --data "$work/hub" --email oleg@example.com --name Oleg --role manager <"$work/oleg.password" >/dev/null
# Port 0: the system picks a free port, and the hub logs its URL.
setsid "$H" serve --data "$work/hub" --tokens file --telegram-api "$tg_url" --listen 127.0.0.1:0 >"$work/hub.log" 2>&1 &
pids+=($!)
hub=
for _ in $(seq 1 100); do
  hub=$(grep -oE 'url=http://127\.0\.0\.1:[0-9]+' "$work/hub.log" | head -n1 | cut -d= -f2) || true
  [[ -n $hub ]] && curl -fs "$hub/api/v1/version" >/dev/null && break
  sleep 0.1
done
curl -fs "$hub/api/v1/version" >/dev/null || { echo "the hub did not answer"; cat "$work/hub.log"; exit 1; }
setsid "$H" replica --hub "$hub" --data "$work/oleg" --credentials "$work/oleg.credentials" >"$work/oleg.log" 2>&1 &
pids+=($!)

# Vera's data directory: a small solo inbox and what Settings → Team leaves after signing in:
# the membership (the hub, the account; no secret) in its settings, the session in the keyring.
"$H" demo --data "$work/vera" --people 20 --messages 100 --seed 3 >/dev/null 2>&1
(umask 077 && curl -fs -X POST "$hub/api/v1/login" -H "Content-Type: application/json" \
  -d '{"email":"vera@example.com","password":"vera-password-1"}' >"$work/vera.login")
jq -c --arg hub "$hub" '{hubUrl: $hub, email: "vera@example.com", account: .account}' "$work/vera.login" >"$work/vera.membership"
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
if grep -q "$tg_token" "$work/hub.log" "$work/oleg.log" "$log"; then echo "a token is in a log"; status=1; fi
# Vera's hub session lives in the keyring only: not in a log, nor in either store of her desktop.
session=$(jq -r .token "$work/vera.login")
if grep -aqF "$session" "$work/hub.log" "$work/oleg.log" "$log" "$work/vera/switchboard.db" "$work/vera/team/switchboard.db"; then
  echo "the hub session token is in a log or a store"
  status=1
fi
exit $status
