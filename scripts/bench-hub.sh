#!/usr/bin/env bash
# The team rows of `make bench` (make bench-hub runs them alone): a real `switchboard-hub serve`
# on loopback over SQLite, the fake Telegram (faketelegram, its own process) fed client
# messages, and simulated desktops (WebSocket clients of the feed, one session each) in
# bench/cmd/hubbench. See hubbench's doc comment for what each row measures. Then the write-rate
# step again with the hub's store in PostgreSQL (serve --db; rows hub_pg_*), on a throw-away
# cluster from scripts/with-postgres.sh (fsync off there, as for the tests).
#
#   scripts/bench-hub.sh              table of the hub_ rows, bench/results/hub-<UTC stamp>.json
#   scripts/bench-hub.sh FILE.jsonl   only append the samples to FILE (scripts/bench.sh)
#
# Knobs (environment): BENCH_HUB_DESKTOPS ("200,2000"), BENCH_HUB_DURATION (20s per delivery
# run), BENCH_HUB_PROFILE (a path prefix: CPU profiles of the hub, PREFIX-write and PREFIX-N,
# read with `go tool pprof -top build/bin/switchboard-hub PREFIX-2000`; the PostgreSQL run's is
# PREFIX-pg-write), BENCH_HUB_PG_BACKLOG (30000 client messages: a shorter backlog than SQLite's
# 110,000, to keep the run short), BENCH_HUB_PG=0 skips the PostgreSQL run,
# BENCH_HUB_DELIVERY_ONLY=1 runs the delivery step alone (about a minute: the desktops first
# follow a backlog of 2,000 messages instead of 110,000, so the store is smaller than in the
# whole run; no write-rate, catch-up or PostgreSQL rows) to iterate on the fan-out.
set -euo pipefail
cd "$(dirname "$0")/.."
TAGS=$(sed -nE 's/.*"build:tags": *"([^"]*)".*/\1/p' wails.json)
HUB=build/bin/switchboard-hub
[[ -x $HUB ]] || { echo "bench-hub: build the hub first (make hub)"; exit 1; }
go build -tags "$TAGS" -o build/bin/hubbench ./bench/cmd/hubbench
go build -o build/bin/faketelegram ./backend/channel/fakeapi/faketelegram

run() {
  local profile=() only=() desktops=${BENCH_HUB_DESKTOPS:-200,2000}
  [[ -n ${BENCH_HUB_PROFILE:-} ]] && profile=(-hub-cpuprofile "$BENCH_HUB_PROFILE")
  [[ ${BENCH_HUB_DELIVERY_ONLY:-0} == 1 ]] && only=(-delivery-only -backlog 2000)
  # 2,000 desktops are 2,000 sockets on each side: hubbench raises the soft open-files limit
  # to the hard one (the hub inherits it) and says so when even that is too low.
  build/bin/hubbench -hub "$HUB" -faketelegram build/bin/faketelegram -out "$1" \
    -desktops "$desktops" -duration "${BENCH_HUB_DURATION:-20s}" "${profile[@]}" "${only[@]}"
  [[ ${BENCH_HUB_PG:-1} == 0 || ${BENCH_HUB_DELIVERY_ONLY:-0} == 1 ]] && return
  profile=()
  [[ -n ${BENCH_HUB_PROFILE:-} ]] && profile=(-hub-cpuprofile "$BENCH_HUB_PROFILE-pg")
  # The same first desktop count as the SQLite write rate follows the feed; the DSN comes from
  # the environment (-db-env), not this command line.
  bash scripts/with-postgres.sh build/bin/hubbench -db-env -hub "$HUB" -faketelegram build/bin/faketelegram -out "$1" \
    -desktops "${desktops%%,*}" -backlog "${BENCH_HUB_PG_BACKLOG:-30000}" "${profile[@]}"
}

# A new desktop's bootstrap (bootstrap.go in hubbench): a headless replica takes a snapshot of
# the bench dataset (scripts/bench.sh makes it) from a hub, to the head; rows hub_bootstrap_*.
# BENCH_HUB_BOOTSTRAP=0 skips it; BENCH_HUB_BOOTSTRAP_DATA names another dataset directory.
bootstrap() {
  [[ ${BENCH_HUB_BOOTSTRAP:-1} == 0 || ${BENCH_HUB_DELIVERY_ONLY:-0} == 1 ]] && return
  local data=${BENCH_HUB_BOOTSTRAP_DATA:-$(ls -d bench/data/p100000-m1000000-s1-*/ 2>/dev/null | head -1)}
  if [[ -z $data || ! -f $data/.complete && -z ${BENCH_HUB_BOOTSTRAP_DATA:-} ]]; then
    echo "bench-hub: no bench dataset in bench/data (make bench makes it): the bootstrap rows are skipped"
    return
  fi
  build/bin/hubbench -hub "$HUB" -bootstrap "${data%/}" -out "$1"
}

if [[ $# -gt 0 ]]; then
  run "$1"
  bootstrap "$1"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "bench-hub: load average $(cut -d' ' -f1-3 /proc/loadavg); CPU pressure: $(head -1 /proc/pressure/cpu 2>/dev/null || echo n/a)"
run "$work/hub.jsonl"
bootstrap "$work/hub.jsonl"
go build -o build/bin/benchreport ./bench/cmd/benchreport
# The delivery step alone measures only its own rows: the others would read as not measured.
rows=hub_
[[ ${BENCH_HUB_DELIVERY_ONLY:-0} == 1 ]] && rows=hub_delivery,hub_ingest,hub_cpu,hub_bench_cpu,hub_rss,hub_frames
build/bin/benchreport -in "$work" -only "$rows" -out "bench/results/hub-$(date -u +%Y%m%dT%H%M%SZ).json" \
  -meta commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  -meta loadavg_at_start="$(cut -d' ' -f1-3 /proc/loadavg)" \
  -meta cpu_pressure="$(head -1 /proc/pressure/cpu 2>/dev/null || echo n/a)" \
  -meta delivery_only="${BENCH_HUB_DELIVERY_ONLY:-0}"
