#!/usr/bin/env bash
# `make bench`: Switchboard's performance budgets, measured on this machine.
#
# What runs, in order (each measurement several times; the budgets and the table are in
# bench/cmd/benchreport):
#   1. the dataset: `switchboard-hub demo` with 100,000 people and 1,000,000 messages, cached
#      in bench/data/ under a key made of the parameters and the generator's source, so it is
#      generated once and regenerated only when the generator or the schema changes;
#   2. store queries in-process on a working copy of it (bench/cmd/storebench queries);
#   3. ingestion from the fake Telegram server vs a bare batched insert, and the delay from an
#      update leaving the wire to the event reaching inbox.Follow (storebench ingest / latency);
#   4. start-up of the production binary under Xvfb to its rendered people list (the app
#      reports it through ReportReady -> $SWITCHBOARD_READY_FILE), interleaved with a bare Wails
#      window (bench/barewails) for the ratio;
#   5. memory: the production binary on the big dataset, 100 chats opened with real key presses
#      (xdotool Ctrl+Shift+Down = next chat), PSS of the app and its WebKit processes;
#   6. the stripped binary's size;
#   7. rendered timings in Chromium against `wails dev` (frontend/e2e/bench/ui-bench.mjs);
#   8. team mode: a real hub process, 200 and 2,000 desktops on its feed, catch-up and write
#      rate (scripts/bench-hub.sh, bench/cmd/hubbench; `make bench-hub` runs it alone).
# The table is printed and written to bench/results/ (latest.json and a dated copy; a run with
# BENCH_SKIP writes only the dated copy).
#
# Knobs (environment): BENCH_PEOPLE, BENCH_MESSAGES, BENCH_SEED, BENCH_START_RUNS (15),
# BENCH_MEM_RUNS (3), BENCH_QUERIES (300), BENCH_INGEST_RUNS (5), BENCH_SKIP (space-separated
# step names to skip: queries ingest latency startup memory size browser hub), BENCH_WEBKIT_WAIT
# (300: seconds the memory step waits for other WebKit processes to end), BENCH_OUT (the
# results file; default bench/results/<UTC stamp>.json).
#
# The cost curve: BENCH_SCALE="10000 100000 1000000" (make bench-scale, or make bench SCALE=…)
# runs the store queries, start-up and memory once per number of people, with 10x as many
# messages, each on its own cached dataset, then prints how each figure grows
# (benchreport -curve) and writes bench/results/scale-<stamp>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# The cost curve: one bench per size (each in its own session), then the curve over them.
if [[ -n ${BENCH_SCALE:-} ]]; then
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  files=()
  for n in $BENCH_SCALE; do
    out=bench/results/scale-$stamp-p$n.json
    echo "== bench: the cost curve at $n people, $((n * 10)) messages ($(date -u +%H:%M:%S))"
    BENCH_SCALE='' BENCH_PEOPLE=$n BENCH_MESSAGES=$((n * 10)) BENCH_OUT=$out \
      BENCH_SKIP="${BENCH_SKIP:-ingest latency size browser hub}" bash "$0" || true
    [[ -f $out ]] && files+=("$out")
  done
  go run ./bench/cmd/benchreport -curve -out "bench/results/scale-$stamp.json" "${files[@]}"
  exit
fi

# Everything below runs in one throw-away desktop session: a D-Bus session bus and an Xvfb
# display shared by the app windows, wails dev and the browser.
if [[ ${SB_BENCH_SESSION:-} != 1 ]]; then
  export SB_BENCH_SESSION=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1440x900x24" "$0" "$@"
fi

PEOPLE=${BENCH_PEOPLE:-100000}
MESSAGES=${BENCH_MESSAGES:-1000000}
SEED=${BENCH_SEED:-1}
START_RUNS=${BENCH_START_RUNS:-15}
MEM_RUNS=${BENCH_MEM_RUNS:-3}
QUERIES=${BENCH_QUERIES:-300}
INGEST_RUNS=${BENCH_INGEST_RUNS:-5}
SKIP=" ${BENCH_SKIP:-} "
PORT=${BENCH_PORT:-34177}
WEBKIT_WAIT=${BENCH_WEBKIT_WAIT:-300}
load_start=$(cat /proc/loadavg)

APP=${BENCH_APP:-build/bin/switchboard}
HUB=build/bin/switchboard-hub
BARE=build/bin/barewails
# The Go build tags the app is built with (wails.json), so the bench compiles the same store.
TAGS=$(sed -nE 's/.*"build:tags": *"([^"]*)".*/\1/p' wails.json)
source scripts/cgo-env.sh # CGO_CFLAGS: the C code left out of every build
STOREBENCH=build/bin/storebench
REPORT=build/bin/benchreport

work=$(mktemp -d /tmp/sb-bench.XXXXXX)
metrics=$work/metrics
mkdir -p "$metrics"
pids=()
# The browser step edits wails.json for its run; cleanup puts it back whatever happens.
restore_wails_json() { if [[ -f $work/wails.json.orig ]]; then cp "$work/wails.json.orig" wails.json; fi; }
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  restore_wails_json
  rm -rf "$work"
}
trap cleanup EXIT

log() { printf '\n== bench: %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
skip() { [[ $SKIP == *" $1 "* ]]; }
now_ms() { date +%s%3N; }

# put ID UNIT NOTE SAMPLE... appends one metric line for benchreport.
put() {
  local id=$1 unit=$2 note=$3
  shift 3
  local IFS=,
  printf '{"id":"%s","unit":"%s","samples":[%s],"note":"%s"}\n' "$id" "$unit" "$*" "$note" >>"$metrics/shell.jsonl"
}

# ---------- build what the bench needs (make bench has built the app and the hub) ----------
log "building the bench tools"
[[ -x $APP && -x $HUB ]] || { echo "bench: run through 'make bench' (needs $APP and $HUB)"; exit 1; }
go build -tags "$TAGS" -o "$STOREBENCH" ./bench/cmd/storebench
go build -o "$REPORT" ./bench/cmd/benchreport
# The baseline window is built like the app (production, webkit2_41, stripped), minus Switchboard.
go build -tags desktop,production,webkit2_41 -trimpath -ldflags "-s -w" -o "$BARE" ./bench/barewails

# ---------- 1. the dataset ----------
gen_key=$(cat backend/demo/*.go backend/store/migrations/*.sql backend/store/bulk.go backend/store/denorm.go \
  | sha256sum | cut -c1-12)
dataset=bench/data/p$PEOPLE-m$MESSAGES-s$SEED-$gen_key
if [[ ! -f $dataset/.complete ]]; then
  log "generating the dataset ($PEOPLE people, $MESSAGES messages, seed $SEED) into $dataset"
  # Older generations of the same parameters are stale now (300+ MB each): drop them.
  rm -rf bench/data/p$PEOPLE-m$MESSAGES-s$SEED-*
  mkdir -p "$dataset.tmp"
  t0=$(now_ms)
  "$HUB" demo --data "$dataset.tmp" --people "$PEOPLE" --messages "$MESSAGES" --seed "$SEED"
  # How long and how much disk, kept beside the data: the cost curve reports both.
  printf 'generated_s=%s\ndisk_mb=%s\nloadavg=%s\n' "$(( ($(now_ms) - t0) / 1000 ))" \
    "$(du -sm "$dataset.tmp" | cut -f1)" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$dataset.tmp/.generated"
  mv "$dataset.tmp" "$dataset"
  touch "$dataset/.complete"
else
  log "reusing the dataset $dataset"
fi
gen_s=$(sed -n 's/^generated_s=//p' "$dataset/.generated" 2>/dev/null || true)
gen_mb=$(sed -n 's/^disk_mb=//p' "$dataset/.generated" 2>/dev/null || true)
[[ -n $gen_mb ]] || gen_mb=$(du -sm "$dataset" | cut -f1)
echo "bench: dataset generated in ${gen_s:-?} s, ${gen_mb} MB on disk" 
# The app and the queries write a little (settings, window state, WAL): they get a copy, so the
# cached dataset stays as generated and every run starts from the same state.
data=$work/data
mkdir -p "$data"
cp "$dataset/switchboard.db" "$data/switchboard.db"
"$HUB" stats --data "$data" || true

# ---------- 2-3. in-process measurements ----------
if ! skip queries; then
  log "store queries ($QUERIES distinct inputs per kind, after 50 uncounted warm-up inputs)"
  "$STOREBENCH" queries -db "$data/switchboard.db" -n "$QUERIES" -seed "$SEED" -out "$metrics/store.jsonl"
fi
if ! skip ingest; then
  log "ingestion: $INGEST_RUNS runs of 20,000 updates, engine vs bare insert"
  # With a CPU profile (build/bin/bench-ingest.prof, `go tool pprof -top -cum -tagfocus part=engine
  # build/bin/storebench build/bin/bench-ingest.prof`; part=bare for the bare inserts): where an
  # ingestion run spends its time, when it misses.
  "$STOREBENCH" ingest -runs "$INGEST_RUNS" -updates 20000 -seed "$SEED" -out "$metrics/store.jsonl" \
    -cpuprofile build/bin/bench-ingest.prof
fi
if ! skip latency; then
  log "update off the wire -> inbox.Follow event: 2,000 updates at 200/s"
  "$STOREBENCH" latency -n 2000 -rate 200 -seed "$SEED" -out "$metrics/store.jsonl"
fi

if ! skip hub; then
  log "team: a switchboard-hub serve process, 200 and 2,000 desktops on its feed, 100 client messages/s"
  bash scripts/bench-hub.sh "$metrics/hub.jsonl"
fi

# ---------- helpers for the windowed runs ----------
# launch BIN ARGS...: starts a binary in its own process group (so it and its WebKit children
# stop together); sets $launched_pid and $launched_at (ms).
launch() {
  launched_at=$(now_ms)
  setsid "$@" >>"$work/app.log" 2>&1 &
  launched_pid=$!
  pids+=("$launched_pid")
}
stop_group() {
  kill -TERM -- "-$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
# wait_ready FILE SECONDS: waits for a ReportReady file; prints its unixMs.
wait_ready() {
  local f=$1 limit=$(( $2 * 20 ))
  for _ in $(seq 1 "$limit"); do
    if [[ -s $f ]]; then sed -E 's/.*"unixMs":([0-9]+).*/\1/' "$f"; return 0; fi
    sleep 0.05
  done
  return 1
}
# pss_kb PID [FIELD]: proportional set size of one process in kB (shared pages split fairly);
# FIELD Pss_Anon / Pss_File splits it into private heaps and mapped files (libraries, the binary).
pss_kb() { awk -v f="${2:-Pss}:" '$1 == f {print $2; found=1; exit} END {if (!found) print 0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
# pss_split PID...: "anon X kB, files Y kB" over the given processes.
pss_split() {
  local a=0 f=0 p
  for p in "$@"; do a=$((a + $(pss_kb "$p" Pss_Anon))); f=$((f + $(pss_kb "$p" Pss_File))); done
  echo "anon $a kB, files $f kB"
}
# descendants PID: every process under PID.
descendants() {
  local kids
  kids=$(ps -o pid= --ppid "$1" 2>/dev/null || true)
  for k in $kids; do echo "$k"; descendants "$k"; done
}

# The baseline window takes its WebKit settings (GPU policy, JavaScriptCore) from the same code
# as the app (app/webview), and the same SWITCHBOARD_GPU / SWITCHBOARD_JIT overrides, so the
# ratios compare like with like.
echo "bench: WebKit settings: GPU policy ${SWITCHBOARD_GPU:-never (default)}, JIT ${SWITCHBOARD_JIT:-off (default)}"

# ---------- 4. start-up ----------
if ! skip startup; then
  log "start-up: $START_RUNS runs each of Switchboard and a bare Wails window, interleaved (one warm-up each first)"
  app_s=() bare_s=() self_s=() painted_s=() app_to_page=() bare_to_page=() app_page_ready=() bare_page_ready=()
  for i in $(seq 0 "$START_RUNS"); do
    for which in bare app; do
      ready=$work/ready-$which-$i.json
      rm -f "$ready"
      if [[ $which == app ]]; then
        SWITCHBOARD_READY_FILE=$ready launch "$APP" --data "$data"
      else
        SWITCHBOARD_READY_FILE=$ready launch "$BARE"
      fi
      if ! at=$(wait_ready "$ready" 60); then
        echo "bench: $which did not report ready within 60 s"; tail -n 30 "$work/app.log"
        stop_group "$launched_pid"; continue
      fi
      stop_group "$launched_pid"
      sleep 0.5
      (( i == 0 )) && continue # warm-up: libraries and the dataset come from disk the first time
      # Both windows note when the webview asks for the page: the start-up splits there into
      # GTK, WebKit's processes and the window, and then the page itself.
      asked=$(sed -nE 's/.*"pageRequestedUnixMs":([0-9]+).*/\1/p' "$ready")
      if [[ $which == app ]]; then
        app_s+=("$((at - launched_at))")
        self_s+=("$(sed -E 's/.*"ms":([0-9]+).*/\1/' "$ready")")
        app_to_page+=("$((asked - launched_at))")
        app_page_ready+=("$((at - asked))")
        # In the page, navigation start -> the first people painted (the app's own trace).
        painted_s+=("$(sed -nE 's/.*"painted":([0-9.]+).*/\1/p' "$ready")")
      else
        bare_s+=("$((at - launched_at))")
        bare_to_page+=("$((asked - launched_at))")
        bare_page_ready+=("$((at - asked))")
      fi
    done
  done
  echo "bench: Switchboard ${app_s[*]} ms; bare ${bare_s[*]} ms; as the app counts it ${self_s[*]} ms"
  put startup_app ms "exec of build/bin/switchboard on the big dataset to ReportReady (first list page rendered in WebKitGTK), Xvfb" "${app_s[@]}"
  put startup_bare ms "exec of bench/barewails to its bound Ready() call after DOMContentLoaded, Xvfb" "${bare_s[@]}"
  put startup_app_self ms "the same start-ups as the app measures them (from app.New, after the store opened)" "${self_s[@]}"
  put startup_app_to_page ms "from exec to the webview's request for index.html (process start, store, GTK, WebKit processes, window)" "${app_to_page[@]}"
  put startup_bare_to_page ms "the bare window: from exec to the webview's request for its page" "${bare_to_page[@]}"
  put startup_app_page_ready ms "from the page's request to ReportReady (the page, its script, the first render and paint)" "${app_page_ready[@]}"
  put startup_bare_page_ready ms "the bare window: from its page's request to its Ready() call" "${bare_page_ready[@]}"
  put startup_page_painted ms "in the page: performance.now() at the first animation frame after the first people rows rendered" "${painted_s[@]}"
fi

# ---------- 5. memory after opening 100 chats ----------
# PSS splits every shared page between the processes that map it, so another WebKit process on
# the machine (another session's e2e or smoke run, a browser on WebKitGTK) takes a share of
# libwebkit2gtk and libjavascriptcoregtk off ours and the figures read low. The memory step
# measures only while no WebKit process but its own is alive: it waits for others to end (up
# to BENCH_WEBKIT_WAIT seconds in all), and a run during which one appeared is not counted.
# foreign_webkit PID...: processes alive, other than the given ones, that map WebKit's libraries
# (WebKit's own processes, and a WebKitGTK app's process, which maps them before its web process
# starts, or a test binary linked with them): "pid(comm) ...".
foreign_webkit() {
  local f p ours=" $* " out=""
  for f in $(grep -l -s -E 'lib(webkit2gtk|javascriptcoregtk)-' /proc/[0-9]*/maps 2>/dev/null || true); do
    p=${f#/proc/}
    p=${p%/maps}
    [[ $p == "$$" || $p == "$BASHPID" || $ours == *" $p "* ]] && continue
    out+="$p($(ps -o comm= -p "$p" 2>/dev/null || echo gone)) "
  done
  echo "$out"
}
webkit_deadline=0
# wait_webkit_alone: 0 once no foreign WebKit process is alive; 1 when the wait budget is spent.
wait_webkit_alone() {
  local others waited=0
  (( webkit_deadline )) || webkit_deadline=$(( $(date +%s) + WEBKIT_WAIT ))
  while others=$(foreign_webkit) && [[ -n $others ]]; do
    if (( $(date +%s) >= webkit_deadline )); then
      echo "bench: another WebKit process is alive ($others) and the wait of ${WEBKIT_WAIT} s is spent"
      return 1
    fi
    # Say so once, then every 30 s.
    if (( waited % 30 == 0 )); then echo "bench: waiting for other WebKit processes to end: $others"; fi
    sleep 5
    waited=$((waited + 5))
  done
}
# group_pss PID FIELD: FIELD (Pss, Pss_Anon) of PID and every descendant, in kB.
group_pss() {
  local kb k
  kb=$(pss_kb "$1" "$2")
  for k in $(descendants "$1"); do kb=$((kb + $(pss_kb "$k" "$2"))); done
  echo "$kb"
}
mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k*1024/1e6}'; }
# dump_memory PID NAME: with BENCH_MEM_DUMP, keeps the smaps of PID and its descendants
# (NAME-<comm>-<pid>.smaps) and, when the app serves Go's profiler (a pprof build, started with
# SWITCHBOARD_PPROF), its heap profile after a GC (NAME.heap).
dump_memory() {
  [[ -n ${BENCH_MEM_DUMP:-} ]] || return 0
  mkdir -p "$BENCH_MEM_DUMP"
  local p url
  for p in "$1" $(descendants "$1"); do
    cp "/proc/$p/smaps" "$BENCH_MEM_DUMP/$2-$(ps -o comm= -p "$p" | tr -c 'A-Za-z0-9\n' _)-$p.smaps" 2>/dev/null || true
  done
  url=$(sed -nE 's/.*msg=pprof url=(http[^ ]*).*/\1/p' "$work/app.log" | tail -n1)
  if [[ -n $url && $2 != bare* ]]; then
    curl -fsS "$url/debug/pprof/heap?gc=1" -o "$BENCH_MEM_DUMP/$2.heap" || true
    curl -fsS "$url/debug/pprof/goroutine?debug=1" -o "$BENCH_MEM_DUMP/$2.goroutines" || true
  fi
}

if ! skip memory; then
  log "memory: $MEM_RUNS runs each of opening 100 chats with Ctrl+Shift+Down and of the idle bare window, interleaved"
  tot=() tot_anon=() appm=() app_anon=() wk=() wk_anon=() start_mb=() dbm=() bare_mb=() bare_anon=()
  memory_refused=""
  for i in $(seq 1 "$MEM_RUNS"); do
    # The app ...
    if ! wait_webkit_alone; then memory_refused=1; break; fi
    ready=$work/ready-mem-$i.json
    rm -f "$ready"
    SWITCHBOARD_PPROF=${BENCH_MEM_DUMP:+127.0.0.1:0} SWITCHBOARD_READY_FILE=$ready launch "$APP" --data "$data"
    pid=$launched_pid
    if ! wait_ready "$ready" 60 >/dev/null; then
      echo "bench: the app did not start"; tail -n 30 "$work/app.log"; stop_group "$pid"; continue
    fi
    sleep 2 # the first page has rendered; let the start settle, then take the at-start figure
    start_mb+=("$(mb "$(group_pss "$pid" Pss)")")
    wid=$(xdotool search --sync --onlyvisible --pid "$pid" 2>/dev/null | head -n1 || true)
    [[ -n $wid ]] || wid=$(xdotool search --sync --onlyvisible --name '^Switchboard$' | head -n1)
    # No window manager under Xvfb: give the window the input focus directly, and click into the
    # people list so the page (not the search box) has the keyboard.
    xdotool windowfocus --sync "$wid" 2>/dev/null || true
    xdotool mousemove --window "$wid" 200 300 click 1
    sleep 0.5
    import -window "$wid" "$work/before-$i.png" 2>/dev/null || true
    for _ in $(seq 1 100); do
      xdotool key --clearmodifiers ctrl+shift+Down
      sleep 0.25
    done
    sleep 3 # let the last history page render and the web process settle
    import -window root "$work/memory-$i.png" 2>/dev/null || true
    # The key presses must have changed the window (another person, another history): compare
    # the window before and after them, pixel by pixel.
    import -window "$wid" "$work/after-$i.png" 2>/dev/null || true
    changed=$(compare -metric AE "$work/before-$i.png" "$work/after-$i.png" null: 2>&1 || true)
    if ! awk -v n="$changed" 'BEGIN { exit !(n + 0 >= 5000) }'; then
      echo "bench: run $i: the key presses changed ${changed:-no} pixels of the window: no chats were opened; not counted"
      stop_group "$pid"; continue
    fi
    others=$(foreign_webkit "$pid" $(descendants "$pid"))
    if [[ -n $others ]]; then
      echo "bench: run $i: another WebKit process appeared during the run ($others): not counted"
      stop_group "$pid"; continue
    fi
    app_kb=$(pss_kb "$pid")
    app_anon_kb=$(pss_kb "$pid" Pss_Anon)
    # Of the app's PSS, the database pages SQLite reads through mmap: clean file cache the kernel
    # may drop at any time, yet counted in RSS/PSS.
    db_kb=$(awk -v f="$data/switchboard.db" '/^[0-9a-f]+-[0-9a-f]+ / {m = ($6 == f)} m && /^Pss:/ {s += $2} END {print s + 0}' "/proc/$pid/smaps" 2>/dev/null || echo 0)
    kids_kb=0 kids_anon_kb=0
    for k in $(descendants "$pid"); do
      kids_kb=$((kids_kb + $(pss_kb "$k"))); kids_anon_kb=$((kids_anon_kb + $(pss_kb "$k" Pss_Anon)))
    done
    echo "bench: run $i: app $app_kb kB ($(pss_split "$pid"); database mmap $db_kb kB), WebKit $kids_kb kB ($(pss_split $(descendants "$pid")); $(descendants "$pid" | xargs -r ps -o comm= -p | sort | uniq -c | xargs))"
    dbm+=("$(mb "$db_kb")")
    appm+=("$(mb "$app_kb")") app_anon+=("$(mb "$app_anon_kb")")
    wk+=("$(mb "$kids_kb")") wk_anon+=("$(mb "$kids_anon_kb")")
    tot+=("$(mb "$((app_kb + kids_kb))")") tot_anon+=("$(mb "$((app_anon_kb + kids_anon_kb))")")
    dump_memory "$pid" "app-$i"
    stop_group "$pid"
    [[ $i == 1 ]] && cp "$work/memory-1.png" build/bin/bench-memory.png 2>/dev/null || true

    # ... then the floor WebKitGTK itself sets: the bare Wails window, idle, measured the same way.
    if ! wait_webkit_alone; then memory_refused=1; break; fi
    ready=$work/ready-bare-mem-$i.json
    rm -f "$ready"
    SWITCHBOARD_READY_FILE=$ready launch "$BARE"
    pid=$launched_pid
    if wait_ready "$ready" 60 >/dev/null; then
      sleep 3
      others=$(foreign_webkit "$pid" $(descendants "$pid"))
      if [[ -n $others ]]; then
        echo "bench: bare window run $i: another WebKit process appeared ($others): not counted"
      else
        kb=$(group_pss "$pid" Pss)
        echo "bench: bare window run $i: $kb kB (Go process: $(pss_split "$pid"); WebKit: $(pss_split $(descendants "$pid")))"
        bare_mb+=("$(mb "$kb")") bare_anon+=("$(mb "$(group_pss "$pid" Pss_Anon)")")
        dump_memory "$pid" "bare-$i"
      fi
    fi
    stop_group "$pid"
  done
  if [[ -n $memory_refused ]]; then
    echo "bench: MEMORY NOT MEASURED in full: another WebKit process stayed alive (the rows below hold only the runs taken before)"
  fi
  put memory_bare MB "PSS of the idle bare Wails window and its WebKit processes (the floor WebKitGTK sets), no other WebKit process alive" "${bare_mb[@]}"
  put memory_bare_anon MB "of the bare window's PSS: anonymous pages (heaps), not library or file pages" "${bare_anon[@]}"
  put memory_total MB "PSS from /proc/PID/smaps_rollup of the app and every descendant (WebKitWebProcess, WebKitNetworkProcess) after 100 Ctrl+Shift+Down, no other WebKit process alive, 1 MB = 10^6 bytes" "${tot[@]}"
  put memory_total_anon MB "of that PSS: anonymous pages (Go, C and JavaScript heaps, WebKit's caches), not library or file pages" "${tot_anon[@]}"
  put memory_app MB "PSS of the Go process" "${appm[@]}"
  put memory_app_anon MB "of the Go process: anonymous pages" "${app_anon[@]}"
  put memory_db_mmap MB "of the Go process: pages of switchboard.db mapped by SQLite (mmap_size), clean and reclaimable" "${dbm[@]}"
  put memory_start MB "PSS of the app and its WebKit processes 2 s after the people list rendered, before any chat was opened" "${start_mb[@]}"
  put memory_webkit MB "PSS of the WebKit child processes" "${wk[@]}"
  put memory_webkit_anon MB "of the WebKit processes: anonymous pages" "${wk_anon[@]}"
fi

# ---------- 6. binary size ----------
if ! skip size; then
  size=$(stat -c %s "$APP")
  put binary_size MB "build/bin/switchboard from make app (wails build -ldflags '-s -w' -trimpath), 1 MB = 10^6 bytes" \
    "$(awk -v s="$size" 'BEGIN{printf "%.2f", s/1e6}')"
fi

# ---------- 7. rendered timings in Chromium against wails dev ----------
if ! skip browser; then
  log "browser: wails dev on the big dataset, Chromium driven by playwright-core"
  # The production bundle, as the app ships it: without a dev watcher in wails.json, wails dev
  # serves the embedded frontend/dist (built by make app) with live bindings, instead of Vite's
  # development build of React, which renders several times slower than what a manager runs.
  cp wails.json "$work/wails.json.orig"
  sed -i '/"frontend:dev:watcher"/d; /"frontend:dev:serverUrl"/d' wails.json
  setsid go run github.com/wailsapp/wails/v2/cmd/wails@v2.12.0 dev -s -m -nosyncgomod -tags "$TAGS" \
    -noreload -nogorebuild -devserver "localhost:$PORT" -appargs "--data $data" -loglevel Warning \
    >"$work/wails-dev.log" 2>&1 &
  pids+=("$!")
  devpid=$!
  up=0
  for _ in $(seq 1 600); do
    if curl -fsS "http://localhost:$PORT/wails/ipc.js" >/dev/null 2>&1; then up=1; break; fi
    kill -0 "$devpid" 2>/dev/null || break
    sleep 1
  done
  if [[ $up == 1 ]]; then
    BENCH_URL="http://localhost:$PORT" BENCH_OUT="$metrics/browser.jsonl" BENCH_SEED="$SEED" \
      node frontend/e2e/bench/ui-bench.mjs || echo "bench: the browser bench failed (its rows will show as not measured)"
  else
    echo "bench: wails dev did not come up"; tail -n 40 "$work/wails-dev.log"
  fi
  stop_group "$devpid"
  restore_wails_json
  rm -f "$work/wails.json.orig"
fi

# ---------- the table ----------
log "report"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${BENCH_OUT:-bench/results/$stamp.json}
mkdir -p "$(dirname "$out")"
status=0
"$REPORT" -in "$metrics" -out "$out" \
  -meta people="$PEOPLE" -meta messages="$MESSAGES" -meta seed="$SEED" -meta dataset="$dataset" \
  -meta dataset_generated_s="${gen_s:-}" -meta dataset_disk_mb="$gen_mb" \
  -meta webkit_env="GDK_GL=${GDK_GL-unset} WEBKIT_DISABLE_DMABUF_RENDERER=${WEBKIT_DISABLE_DMABUF_RENDERER-unset} SWITCHBOARD_GPU=${SWITCHBOARD_GPU-unset} SWITCHBOARD_JIT=${SWITCHBOARD_JIT-unset}" \
  -meta commit="${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}" \
  -meta loadavg_at_start="$load_start" || status=$?
# latest.json is the whole table: a run that skipped steps keeps only its dated copy.
if [[ -z ${BENCH_SKIP:-} && -z ${BENCH_OUT:-} ]]; then cp "$out" bench/results/latest.json; fi
exit $status
