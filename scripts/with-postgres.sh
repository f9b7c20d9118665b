#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster on loopback, the way the hub's tests need
# it (DESIGN.md: "a real PostgreSQL on loopback for the hub"):
#   scripts/with-postgres.sh go test ./backend/hub/...
# Installs Debian's `postgresql` if it is missing, runs initdb and pg_ctl as the `postgres` user
# (the server refuses to run as root) in a temporary directory, exports SWITCHBOARD_TEST_PG (a
# DSN for a superuser with a random password) and removes the cluster afterwards, also when the
# command fails or is interrupted. The command's exit status is the script's.
set -euo pipefail

PG_VERSION=${PG_VERSION:-15}
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

if [[ ! -x $PG_BIN/initdb ]]; then
  echo "with-postgres: installing postgresql-$PG_VERSION" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "postgresql-$PG_VERSION" >/dev/null
fi

# The server runs as `postgres`: as root we switch with runuser; as anyone else the cluster runs
# as ourselves (initdb only refuses root).
if [[ $(id -u) == 0 ]]; then
  run_pg() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  run_pg() { "$@"; }
  owner=$(id -un)
fi

free_port() {
  # A port nobody listens on; the server binds it a moment later (a race we retry below).
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "with-postgres: no free port found" >&2
  return 1
}

dir=$(mktemp -d /tmp/switchboard-pg.XXXXXX)
chmod 0711 "$dir"
cleanup() {
  local status=$?
  if [[ -f $dir/data/postmaster.pid ]]; then
    run_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
child=
# On INT/TERM pass the signal to the command, then clean up (bash runs a trap only once a
# foreground child ends, hence the command runs in the background and we wait for it).
on_signal() {
  local code=$1 sig=$2
  [[ -n $child ]] && kill -"$sig" "$child" 2>/dev/null && wait "$child" 2>/dev/null
  exit "$code"
}
trap 'on_signal 130 INT' INT
trap 'on_signal 143 TERM' TERM

password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$password" >"$dir/pwfile"
mkdir "$dir/data" "$dir/run"
chown "$owner" "$dir/pwfile" "$dir/data" "$dir/run"
chmod 0600 "$dir/pwfile"
run_pg "$PG_BIN/initdb" -D "$dir/data" -U switchboard --pwfile="$dir/pwfile" \
  --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"

started=
for _ in 1 2 3 4 5; do
  port=$(free_port)
  # fsync off: a test cluster that dies with the machine is thrown away anyway.
  if run_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/run/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/run -c fsync=off -c max_connections=200" \
      start >/dev/null; then
    started=1
    break
  fi
done
if [[ -z $started ]]; then
  echo "with-postgres: the server did not start:" >&2
  cat "$dir/run/server.log" >&2 || true
  exit 1
fi

export SWITCHBOARD_TEST_PG="postgres://switchboard:$password@127.0.0.1:$port/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL $PG_VERSION on 127.0.0.1:$port" >&2
# Not exec: the trap above must outlive the command to stop the server.
"$@" <&0 &
child=$!
set +e
wait "$child"
status=$?
child=
exit "$status"
