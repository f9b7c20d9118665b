# shellcheck shell=bash
# The team both team-mode scripts run against (sourced by scripts/e2e-team.sh and
# scripts/smoke-team.sh from the repository's root), all on loopback, in a fresh directory $work:
#   - a fake Telegram bot with two clients (tg.log), polled by `switchboard-hub serve` (hub/,
#     hub.log), which listens on a port the system picks and logs its URL;
#   - Vera (admin) and Oleg (manager) on that hub; Oleg's desktop is `switchboard-hub replica`
#     without a window (oleg/, oleg.log);
#   - Vera's sign-in answer (vera.login: her account and session token) and her membership as
#     Settings → Team keeps it (vera.membership: the hub and the account, no secret).
# Sourcing it sets H, work and pids, and traps EXIT to stop every process in pids (each in its own
# session) and remove $work; a script appends what it starts itself to pids. hub_fixture_start
# sets tg_url, tg_token and hub.

H=$PWD/build/bin/switchboard-hub
work=$(mktemp -d)
pids=()
hub_fixture_cleanup() {
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap hub_fixture_cleanup EXIT

# hub_fixture_start BOT_TIMEOUT: starts the team (the bot answers for BOT_TIMEOUT, e.g. 10m);
# says why and fails when a part does not come up.
hub_fixture_start() {
  go build -o "$work/faketelegram" ./backend/channel/fakeapi/faketelegram || return 1
  (
    cd "$work"
    setsid ./faketelegram --addr-file tg.addr --messages 2 --keep --timeout "$1" >tg.log 2>&1 &
    echo $! >tg.pid
  )
  pids+=("$(cat "$work/tg.pid")")
  for _ in $(seq 1 100); do [[ -s $work/tg.addr ]] && break; sleep 0.1; done
  [[ -s $work/tg.addr ]] || { echo "the fake bot did not start"; cat "$work/tg.log"; return 1; }
  read -r tg_url tg_token <"$work/tg.addr"
  (umask 077 && printf '%s' "$tg_token" >"$work/bot.token")
  "$H" channel add telegram --token-file "$work/bot.token" --api-url "$tg_url" --data "$work/hub" --tokens file >/dev/null || return 1
  (umask 077 && printf 'vera-password-1\n' >"$work/vera.password" && printf 'oleg-password-1\n' >"$work/oleg.password" &&
    printf 'oleg@example.com\noleg-password-1\n' >"$work/oleg.credentials")
  "$H" user add --data "$work/hub" --email vera@example.com --name Vera --role admin <"$work/vera.password" >/dev/null || return 1
  "$H" user add --data "$work/hub" --email oleg@example.com --name Oleg --role manager <"$work/oleg.password" >/dev/null || return 1

  # Port 0: the system picks a free port (a random one was once taken), and the hub logs its URL.
  setsid "$H" serve --data "$work/hub" --tokens file --telegram-api "$tg_url" --listen 127.0.0.1:0 >"$work/hub.log" 2>&1 &
  pids+=($!)
  disown # stopped at the end on purpose: no "Killed" line
  hub=
  for _ in $(seq 1 100); do
    hub=$(grep -oE 'url=http://127\.0\.0\.1:[0-9]+' "$work/hub.log" | head -n1 | cut -d= -f2) || true
    [[ -n $hub ]] && curl -fs "$hub/api/v1/version" >/dev/null && break
    sleep 0.1
  done
  curl -fs "$hub/api/v1/version" >/dev/null || { echo "the hub did not answer on '$hub'"; cat "$work/hub.log"; return 1; }

  setsid "$H" replica --hub "$hub" --data "$work/oleg" --credentials "$work/oleg.credentials" >"$work/oleg.log" 2>&1 &
  pids+=($!)
  disown

  (umask 077 && curl -fs -X POST "$hub/api/v1/login" -H "Content-Type: application/json" \
    -d '{"email":"vera@example.com","password":"vera-password-1"}' >"$work/vera.login") || { echo "Vera could not sign in"; return 1; }
  jq -c --arg hub "$hub" '{hubUrl: $hub, email: "vera@example.com", account: .account}' "$work/vera.login" >"$work/vera.membership"
}

# hub_fixture_leak FILE...: says so and succeeds when a secret of the team (the bot's token, Vera's
# hub session) is in one of the files (logs, stores): both belong in keyrings only.
# A file named but missing, or a session that cannot be read, is a failed check too: a check
# that looked at nothing must not pass.
hub_fixture_leak() {
  local f session
  for f; do
    [[ -e $f ]] || { echo "leak check: there is no $f"; return 0; }
  done
  session=$(jq -r .token "$work/vera.login")
  [[ -n $session && $session != null ]] || { echo "leak check: Vera's session is not in $work/vera.login"; return 0; }
  if grep -aqF "$tg_token" "$@"; then
    echo "the bot's token is in a log or a store"
    return 0
  fi
  if grep -aqF "$session" "$@"; then
    echo "the hub session token is in a log or a store"
    return 0
  fi
  return 1
}
