#!/usr/bin/env bash
# Smoke test of the production binary under Xvfb: it must start, render the people list in
# WebKitGTK (Chromium is not WebKit), report it, and quit on SIGTERM even though closing the
# window only hides it to the tray. The UI calls ReportReady(rows) once the first page of the
# list is on screen; the app writes that to $SWITCHBOARD_READY_FILE.
#
# Then the same screens again with app/webview's GL lever undone (WEBKIT_DISABLE_DMABUF_RENDERER=0
# is a user's setting, so the app sets none of the three variables and Mesa loads as before):
# the people list, an open chat with the client card, and the full card must come out the same,
# pixel for pixel within a small tolerance (SMOKE_TOLERANCE, default 0.1% of the window's pixels,
# each compared with a 2% colour fuzz), or the lever renders differently and fails the smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pid=""
trap '[[ -n $pid ]] && kill -KILL -- "-$pid" 2>/dev/null; rm -rf "$work"' EXIT
build/bin/switchboard-hub demo --data "$work/pristine" --people 300 --messages 3000 --seed 7 >/dev/null

shot=${SMOKE_SCREENSHOT:-build/bin/smoke.png}
shots=${SMOKE_SHOTS:-build/bin/smoke}
tolerance=${SMOKE_TOLERANCE:-0.001}
screens="list chat card"

# run_app NAME [VAR=VALUE...]: runs the app on a fresh copy of the demo workspace in its own
# desktop session, opens the main screens with real clicks and keys, and leaves a screenshot
# of the window per screen in $work/NAME/. Sets $status (0, or 3 when the app would not quit).
run_app() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  cp -r "$work/pristine" "$work/$name/data"
  export SWITCHBOARD_READY_FILE="$work/$name/ready.json"
  setsid env "$@" scripts/with-desktop.sh sh -c '
    build/bin/switchboard --data "$1/data" &
    app=$!
    for i in $(seq 1 60); do [ -s "$SWITCHBOARD_READY_FILE" ] && break; sleep 0.5; done
    sleep 1
    # Whether Mesa'"'"'s libLLVM is in the app'"'"'s own process: what the GL lever is for.
    grep -c libLLVM "/proc/$app/maps" >"$1/llvm" 2>/dev/null || true
    import -window root "$1/root.png" 2>/dev/null || true
    wid=$(xdotool search --onlyvisible --pid $app 2>/dev/null | head -n1)
    # shoot FILE: a screenshot of the window once it has settled (two in a row, 0.5 s apart, the
    # same; at most 10 s), so the comparison sees rendering, not how far a load or scroll got.
    shoot() {
      i=0
      import -window "$wid" "$1"
      while [ $i -lt 20 ]; do
        sleep 0.5
        import -window "$wid" "$1.next.png"
        [ "$(compare -metric AE "$1" "$1.next.png" null: 2>&1)" = 0 ] && break
        mv "$1.next.png" "$1"
        i=$((i + 1))
      done
      rm -f "$1.next.png"
    }
    if [ -n "$wid" ]; then
      # No window manager under Xvfb: focus the window directly. The pointer rests on the same
      # spot in both runs, so hover styles match.
      xdotool windowfocus --sync "$wid" 2>/dev/null || true
      xdotool mousemove --window "$wid" 1000 40
      sleep 0.5
      shoot "$1/list.png"
      xdotool mousemove --window "$wid" 200 300 click 1   # a person: history and client card
      sleep 2
      # The history does not always open scrolled to its newest message (2 of 5 runs on
      # 6 December stopped a few rows short, with the lever and without): the wheel takes it to
      # the end, so both runs compare the same rows.
      xdotool mousemove --window "$wid" 560 400 click --repeat 20 --delay 30 5
      xdotool mousemove --window "$wid" 1000 40
      # The overlay scrollbar of WebKit shows while scrolling and fades out a while after: wait it out,
      # or one shot has the bar and the other not (a CI run differed by just that strip).
      sleep 3
      shoot "$1/chat.png"
      xdotool key --clearmodifiers ctrl+shift+s            # the full client card
      sleep 1.5
      shoot "$1/card.png"
    fi
    kill -TERM $app
    for i in $(seq 1 20); do kill -0 $app 2>/dev/null || exit 0; sleep 0.5; done
    echo "the app did not quit within 10 s of SIGTERM"
    kill -KILL $app
    exit 3
  ' sh "$work/$name" >"$work/$name/app.log" 2>&1 &
  pid=$!
  status=0
  wait $pid || status=$?
  pid=""
}

fail() {
  echo "smoke: FAIL - $*"
  echo "smoke: 0 passed, 1 failed"
  exit 1
}

# 1. The app as it ships: renders, reports, quits on SIGTERM.
run_app lever
ready=$work/lever/ready.json
if [[ ! -s $ready ]]; then
  tail -n 40 "$work/lever/app.log"
  fail "the app did not report a rendered people list within 30 s"
fi
rows=$(sed -E 's/.*"rows":([0-9]+).*/\1/' "$ready")
ms=$(sed -E 's/.*"ms":([0-9]+).*/\1/' "$ready")
[[ $rows -ge 1 ]] || fail "the people list rendered $rows rows"
[[ $status -eq 0 ]] || fail "$(grep -m1 'did not quit' "$work/lever/app.log" || echo "exit status $status")"
cp "$work/lever/root.png" "$shot" 2>/dev/null || true
echo "smoke: the production binary rendered $rows people rows in ${ms} ms and quit on SIGTERM (screenshot: $shot)"

# The lever must keep libLLVM out of the app's process (with it undone, Mesa loads it wherever
# Mesa is built with LLVM: shown, not required).
[[ $(cat "$work/lever/llvm" 2>/dev/null || echo 0) == 0 ]] ||
  fail "with the GL lever the app's process still maps libLLVM ($(cat "$work/lever/llvm") mappings)"

# 2. The same screens with the GL lever undone must look the same.
run_app nolever WEBKIT_DISABLE_DMABUF_RENDERER=0
[[ -s $work/nolever/ready.json ]] || { tail -n 40 "$work/nolever/app.log"; fail "with the GL lever undone the app did not render"; }
echo "smoke: libLLVM mappings in the app's process: $(cat "$work/lever/llvm") with the GL lever, $(cat "$work/nolever/llvm" 2>/dev/null || echo "?") without"
mkdir -p "$shots"
for s in $screens; do
  a=$work/lever/$s.png b=$work/nolever/$s.png
  [[ -s $a && -s $b ]] || fail "no screenshot of the $s screen (xdotool found no window?)"
  cp "$a" "$shots/$s-lever.png"
  cp "$b" "$shots/$s-nolever.png"
  read -r w h < <(identify -format '%w %h\n' "$a")
  total=$((w * h))
  diff=$(compare -metric AE -fuzz 2% "$a" "$b" "$shots/$s-diff.png" 2>&1 || true)
  diff=${diff%% *}
  if ! awk -v d="$diff" -v t="$total" -v tol="$tolerance" 'BEGIN { exit !(d + 0 <= t * tol && d != "") }'; then
    fail "the $s screen renders differently with and without the GL lever: $diff of $total pixels differ (tolerance $tolerance; $shots/$s-*.png)"
  fi
  echo "smoke: the $s screen with and without the GL lever: $diff of $total pixels differ"
done
# And the second screen must differ from the first: the clicks and keys did open something.
opened=$(compare -metric AE "$work/lever/list.png" "$work/lever/chat.png" null: 2>&1 || true)
awk -v n="${opened%% *}" 'BEGIN { exit !(n + 0 >= 5000) }' || fail "clicking a person changed ${opened%% *} pixels: no chat opened"
echo "smoke: 1 passed, 0 failed"
