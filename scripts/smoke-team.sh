#!/usr/bin/env bash
# Smoke test of team mode with the production binaries under Xvfb: a hub with a (fake) Telegram
# bot and two clients, and the desktop app as a member of that hub.
#   1. The desktop's data directory holds a solo (demo) inbox and the membership of the hub, its
#      session in the OS keyring, as Settings → Team leaves them after signing in.
#   2. The app starts as a replica over <data>/team: it renders the hub's people, not the demo's,
#      and the solo inbox is left as it was.
#   3. A reply typed into the app (real clicks and keys) reaches the client through the hub, once,
#      and shows on a second desktop (a headless replica signed in as another manager).
#   4. A message sent from that second desktop reaches the client once and shows in the app.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/hub-fixture.sh
source scripts/hub-fixture.sh
APP=$PWD/build/bin/switchboard
fail() {
  echo "smoke-team: FAIL - $*"
  for f in hub.log app.log tg.log oleg.log; do [[ -s $work/$f ]] && { echo "--- $f"; tail -n 20 "$work/$f"; }; done
  echo "smoke-team: 0 passed, 1 failed"
  exit 1
}

hub_fixture_start 10m || fail "the team did not start"
"$H" demo --data "$work/desk" --people 50 --messages 300 --seed 3 >/dev/null 2>&1
cd "$work"

export SWITCHBOARD_READY_FILE=$work/ready.json
setsid "$OLDPWD/scripts/with-desktop.sh" sh -c '
  set -e
  hub=$1 app=$2 H=$3
  # What Settings → Team leaves after signing in: the session in the keyring, the membership
  # (the hub and the account, no secret) in the data directory'"'"'s own settings.
  jq -j .token vera.login | secret-tool store --label "Switchboard hub session" service switchboard username hub-session
  sqlite3 desk/switchboard.db "INSERT OR REPLACE INTO settings (key, value) VALUES (\"team_hub\", CAST(readfile(\"vera.membership\") AS TEXT))"
  "$app" --data desk >app.log 2>&1 &
  pid=$!
  for i in $(seq 1 60); do [ -s "$SWITCHBOARD_READY_FILE" ] && break; sleep 0.5; done
  # The replica may render before its snapshot has come: wait for the two clients.
  for i in $(seq 1 40); do
    [ "$(sqlite3 desk/team/switchboard.db "SELECT count(*) FROM people" 2>/dev/null)" = 2 ] && break
    sleep 0.25
  done
  sleep 1
  wid=$(xdotool search --onlyvisible --pid $pid 2>/dev/null | head -n1)
  if [ -n "$wid" ]; then
    xdotool windowfocus --sync "$wid" 2>/dev/null || true
    import -window "$wid" list.png
    xdotool mousemove --window "$wid" 200 170 click 1   # the first client: the chat opens
    sleep 1.5
    xdotool mousemove --window "$wid" 700 760 click 1   # the composer
    xdotool type --delay 20 "Hello from the team"
    xdotool key --clearmodifiers ctrl+Return
    for i in $(seq 1 40); do grep -q "Hello from the team" tg.log && break; sleep 0.25; done
    import -window "$wid" chat.png
    # Oleg answers in the same chat from his desktop; the open chat in the app shows it.
    chat=$(sqlite3 hub/switchboard.db "SELECT chat_id FROM messages WHERE text = \"Hello from the team\" LIMIT 1")
    for i in $(seq 1 40); do
      [ "$(sqlite3 oleg/switchboard.db "SELECT count(*) FROM messages WHERE text = \"Hello from the team\"" 2>/dev/null)" = 1 ] && break
      sleep 0.25
    done
    [ -n "$chat" ] && "$H" send --data oleg --chat "$chat" --text "Oleg here too" >/dev/null
    for i in $(seq 1 40); do
      [ "$(sqlite3 desk/team/switchboard.db "SELECT count(*) FROM messages WHERE text = \"Oleg here too\"" 2>/dev/null)" = 1 ] && break
      sleep 0.25
    done
    sleep 0.5
    import -window "$wid" second.png
  fi
  kill -TERM $pid
  for i in $(seq 1 20); do kill -0 $pid 2>/dev/null || exit 0; sleep 0.5; done
  kill -KILL $pid
  exit 3
' sh "$hub" "$APP" "$H" >desktop.log 2>&1 &
pids+=($!)
status=0
wait "${pids[-1]}" || status=$?

[[ -s ready.json ]] || fail "the app in team mode did not report a rendered list"
rows=$(sed -E 's/.*"rows":([0-9]+).*/\1/' ready.json)
team=$(sqlite3 desk/team/switchboard.db "SELECT count(*) FROM people" 2>/dev/null || echo 0)
solo=$(sqlite3 desk/switchboard.db "SELECT count(*) FROM people")
[[ $team == 2 ]] || fail "the replica at desk/team holds $team people, want the hub's 2"
[[ $solo == 50 ]] || fail "the solo inbox holds $solo people after a team run, want its 50"
echo "smoke-team: the app ran as a replica over desk/team (the hub's $team people, $rows rendered first); the solo inbox kept its $solo"
[[ -s chat.png ]] || fail "no window to type into (xdotool found none)"
sent=$(grep -c 'the bot sent to chat [0-9]*: "Hello from the team"' tg.log || true)
[[ $sent == 1 ]] || fail "the reply typed into the app reached the client $sent times, want once"
count() { sqlite3 "$1" "SELECT count(*) FROM messages WHERE text = '$2'" 2>/dev/null || echo 0; }
[[ $(count oleg/switchboard.db 'Hello from the team') == 1 ]] || fail "the app's reply is on the second desktop $(count oleg/switchboard.db 'Hello from the team') times, want once"
sent=$(grep -c 'the bot sent to chat [0-9]*: "Oleg here too"' tg.log || true)
[[ $sent == 1 ]] || fail "the second desktop's message reached the client $sent times, want once"
[[ $(count desk/team/switchboard.db 'Oleg here too') == 1 ]] || fail "the second desktop's message is in the app's copy $(count desk/team/switchboard.db 'Oleg here too') times, want once"
echo "smoke-team: the reply showed on the second desktop once; its own message reached the client and the app once"
[[ $status -eq 0 ]] || fail "the app did not quit on SIGTERM (status $status)"
# The bot's token and the hub session live in keyrings only: in no log, in neither store of the desktop.
leak=$(hub_fixture_leak app.log hub.log desktop.log oleg.log desk/switchboard.db desk/team/switchboard.db) && fail "$leak"
mkdir -p "$OLDPWD/build/bin/smoke"
cp list.png "$OLDPWD/build/bin/smoke/team-list.png"
cp chat.png "$OLDPWD/build/bin/smoke/team-chat.png"
[[ -s second.png ]] && cp second.png "$OLDPWD/build/bin/smoke/team-second.png"
echo "smoke-team: a reply typed into the app reached the client once, through the hub"
echo "smoke-team: 1 passed, 0 failed"
