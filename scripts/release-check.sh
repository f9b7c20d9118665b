#!/usr/bin/env bash
# `make release-check`: runs what scripts/release.sh put in dist/, on this machine.
#   windows: switchboard-hub.exe under wine (demo, stats, serve against the fake Telegram API
#            storing messages); switchboard.exe is a GUI PE importing only system DLLs, carries
#            the version resource, and under wine (no WebView2) exits 1 with a clear message.
#   linux:   the .deb installed with dpkg into a clean Debian 12 root (debootstrap), its
#            dependencies pulled by apt; there the app renders the people list under Xvfb,
#            switchboard-hub demo/stats work; dpkg -r removes every file; dpkg -P the data.
# RELEASE_CHECKS="windows linux" (default both). Prints "release-check: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
GO=${GO:-go}
checks=${RELEASE_CHECKS:-windows linux}
V=$(sed -nE 's/.*"productVersion": *"([^"]+)".*/\1/p' wails.json)
tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null || true)
[[ -n $tag ]] && V=${tag#v}
dist=$PWD/dist
work=$(mktemp -d /tmp/switchboard-release-check.XXXXXX)
passed=0 failed=0
cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done; declare -F wine_stop >/dev/null && wine_stop; rm -rf "$work"' EXIT
ok() { passed=$((passed + 1)); echo "release-check: ok   - $*"; }
bad() { failed=$((failed + 1)); echo "release-check: FAIL - $*"; }
started=$SECONDS
took() { echo "release-check: ... $1 took $((SECONDS - started)) s"; started=$SECONDS; }

bash scripts/install-release-deps.sh

# ---------------------------------------------------------------- Windows, under wine
check_windows() {
  local hub=$dist/switchboard-hub_${V}_windows_amd64.exe app=$dist/switchboard_${V}_windows_amd64.exe
  local setup=$dist/Switchboard_${V}_windows_amd64_setup.exe
  source scripts/wine-env.sh "$work/wine"
  local w="wine_run"

  # The hub: version, a demo workspace and its counts (cgo SQLite, Windows paths).
  local out
  out=$($w "$hub" --version 2>&1) && [[ $out == "switchboard-hub $V" ]] && ok "hub.exe --version: $out" || bad "hub.exe --version: $out"
  local d="Z:${work//\//\\}\\hubdata"
  if $w "$hub" demo --data "$d" --people 300 --messages 3000 --seed 3 >"$work/demo.log" 2>&1 &&
    out=$($w "$hub" stats --data "$d" 2>&1) && grep -qx $'people\t300' <<<"$out"; then
    ok "hub.exe demo + stats: $(tr '\n\t' ' =' <<<"$out")"
  else
    bad "hub.exe demo + stats: $(tail -n 5 "$work/demo.log") $out"
  fi

  # serve against the fake Telegram Bot API on loopback: three client messages must be stored
  # and acknowledged (the hub acknowledges only what it committed). Tokens go to the Windows
  # Credential Manager (--tokens keyring), as on a manager's PC.
  $GO build -o "$work/faketelegram" ./backend/channel/fakeapi/faketelegram
  "$work/faketelegram" --addr-file "$work/tg.addr" --messages 3 --timeout 90s >"$work/fake.log" 2>&1 &
  local fake=$! url tok serve
  for _ in $(seq 50); do [[ -s $work/tg.addr ]] && break; sleep 0.1; done
  read -r url tok <"$work/tg.addr"
  d="Z:${work//\//\\}\\servedata"
  if TG_TOKEN=$tok $w "$hub" channel add telegram --token-env TG_TOKEN --api-url "$url" --tokens keyring --data "$d" >"$work/add.log" 2>&1; then
    $w "$hub" serve --data "$d" --tokens keyring --telegram-api "$url" >"$work/serve.log" 2>&1 &
    serve=$!
    if wait $fake; then
      kill $serve 2>/dev/null; wait $serve 2>/dev/null || true
      out=$($w "$hub" history --data "$d" --chat 1 --limit 5 2>&1)
      if grep -q "smoke message 1" <<<"$out" && $w "$hub" stats --data "$d" | grep -qx $'messages\t3'; then
        ok "hub.exe serve stored the fake Telegram messages: $out"
      else
        bad "hub.exe serve: updates confirmed but not stored: $out"
      fi
    else
      kill $serve 2>/dev/null; wait $serve 2>/dev/null || true
      bad "hub.exe serve: $(cat "$work/fake.log"); $(tail -n 5 "$work/serve.log")"
    fi
  else
    kill $fake 2>/dev/null || true
    bad "hub.exe channel add: $(cat "$work/add.log")"
  fi

  # The GUI app: a PE for the Windows GUI subsystem that imports only DLLs every Windows has
  # (libopus, SQLite, miniaudio and the mingw runtime are linked in), with a version resource.
  local dump dlls extra
  dump=$(x86_64-w64-mingw32-objdump -p "$app")
  dlls=$(sed -n 's/^\s*DLL Name: //p' <<<"$dump" | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' ')
  extra=$(tr ' ' '\n' <<<"$dlls" | grep -v -x -E 'kernel32.dll|user32.dll|advapi32.dll|ws2_32.dll|winmm.dll|ole32.dll|oleaut32.dll|shell32.dll|shlwapi.dll|gdi32.dll|comctl32.dll|comdlg32.dll|msvcrt.dll|api-ms-win-[a-z0-9-]+\.dll|bcrypt.dll|crypt32.dll|dwmapi.dll|uxtheme.dll|version.dll|iphlpapi.dll|secur32.dll|userenv.dll|netapi32.dll|powrprof.dll|' || true)
  if grep -q "Windows GUI" <<<"$dump" && grep -q "x86-64\|pe-x86-64" <<<"$(x86_64-w64-mingw32-objdump -f "$app")" && [[ -z $extra ]]; then
    ok "switchboard.exe: amd64 GUI PE, imports only system DLLs: $dlls"
  else
    bad "switchboard.exe: subsystem/imports wrong; unexpected DLLs: ${extra:-none}; all: $dlls"
  fi
  local u16v
  u16v=$(sed 's/./&\\x00/g' <<<"$V")
  if LC_ALL=C grep -qaP 'V\x00S\x00_\x00V\x00E\x00R\x00S\x00I\x00O\x00N\x00_\x00I\x00N\x00F\x00O' "$app" &&
    LC_ALL=C grep -qaP "P\\x00r\\x00o\\x00d\\x00u\\x00c\\x00t\\x00V\\x00e\\x00r\\x00s\\x00i\\x00o\\x00n\\x00\\x00\\x00(\\x00\\x00)?$u16v" "$app"; then
    ok "switchboard.exe: version resource with ProductVersion $V"
  else
    bad "switchboard.exe: no version resource with ProductVersion $V"
  fi
  out=$($w "$app" --version 2>&1 || true)
  [[ $out == *"switchboard $V"* ]] && ok "switchboard.exe --version: $out" || bad "switchboard.exe --version: $out"
  # No WebView2 under wine: the app must say so and exit 1, not hang or crash. (No X display:
  # wine's message box returns at once.)
  local rc=0
  out=$(DISPLAY= timeout 60 "$WINE" "$app" --data "Z:${work//\//\\}\\guidata" 2>&1) || rc=$?
  if [[ $rc -eq 1 && $out == *"WebView2 runtime is not installed"* ]]; then
    ok "switchboard.exe without WebView2 exits 1: $(grep -m1 WebView2 <<<"$out" | cut -c1-120)…"
  else
    bad "switchboard.exe without WebView2: exit $rc: $(tail -n 5 <<<"$out")"
  fi
  # The installer is NSIS's 32-bit stub (wine64 alone cannot run it): 7-Zip reads its contents.
  # It must carry this very switchboard.exe and the WebView2 bootstrapper it runs when the
  # runtime is missing.
  local listing
  listing=$(7z l "$setup" 2>&1 || true)
  if grep -q 'NSIS' <<<"$listing" && grep -q 'webview2bootstrapper/MicrosoftEdgeWebview2Setup.exe' <<<"$listing" &&
    [[ $(7z x -so "$setup" Switchboard.exe 2>/dev/null | sha256sum | cut -d' ' -f1) == $(sha256sum <"$app" | cut -d' ' -f1) ]]; then
    ok "installer: NSIS, carries this switchboard.exe and the WebView2 bootstrapper"
  else
    bad "installer: $(grep -E 'Type|exe' <<<"$listing" | tr '\n' ' ')"
  fi
  took "windows checks"
}

# ---------------------------------------------------------------- Linux, in a clean Debian root
check_linux() {
  local deb=$dist/switchboard_${V}_amd64.deb root=$work/root cache=build/debootstrap
  mkdir -p "$cache"
  # The minimal Debian 12 root is made once and kept as a tarball (git-ignored build/).
  if [[ ! -s $cache/bookworm-minbase.tar ]]; then
    debootstrap --variant=minbase --make-tarball="$cache/bookworm-minbase.tar.tmp" bookworm "$work/tb" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
      { tail -n 20 "$work/debootstrap.log"; bad "debootstrap"; return; }
    mv "$cache/bookworm-minbase.tar.tmp" "$cache/bookworm-minbase.tar"
  fi
  debootstrap --variant=minbase --unpack-tarball="$PWD/$cache/bookworm-minbase.tar" bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log"; bad "debootstrap into a clean root"; return; }
  for m in proc sys dev dev/pts; do mount --bind "/$m" "$root/$m"; cleanup=("umount -l '$root/$m'" "${cleanup[@]}"); done
  mount -t tmpfs tmpfs "$root/dev/shm" 2>/dev/null && cleanup=("umount -l '$root/dev/shm'" "${cleanup[@]}") || true
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  took "clean Debian 12 root"
  cp "$deb" "$root/tmp/"
  local in="chroot $root env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8"
  # apt resolves the package's Depends from Debian: a missing or wrong one fails right here.
  if $in sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/$(basename "$deb")" >"$work/apt.log" 2>&1; then
    ok "dpkg installed $(basename "$deb") with its Depends into a clean Debian 12 root"
  else
    tail -n 20 "$work/apt.log"; bad "installing the .deb"; return
  fi
  took "install with dependencies"
  local f
  for f in /usr/bin/switchboard /usr/share/applications/switchboard.desktop /usr/share/icons/hicolor/256x256/apps/switchboard.png /lib/systemd/system/switchboard-hub.service; do
    [[ -e $root$f ]] || bad "missing $f"
  done
  if $in getent passwd switchboard-hub >/dev/null && [[ $($in stat -c '%U %a' /var/lib/switchboard-hub) == "switchboard-hub 700" ]] &&
    [[ ! -e $root/etc/systemd/system/multi-user.target.wants/switchboard-hub.service ]]; then
    ok "postinst: user switchboard-hub, /var/lib/switchboard-hub (700), service not enabled"
  else
    bad "postinst: user/data directory/enablement wrong"
  fi
  local out
  out=$($in switchboard-hub --version 2>&1) && [[ $out == "switchboard-hub $V" ]] && ok "installed hub --version: $out" || bad "hub --version: $out"
  if $in runuser -u switchboard-hub -- switchboard-hub demo --data /var/lib/switchboard-hub --people 300 --messages 3000 --seed 7 >"$work/hubdemo.log" 2>&1 &&
    out=$($in runuser -u switchboard-hub -- switchboard-hub stats --data /var/lib/switchboard-hub 2>&1) && grep -qx $'people\t300' <<<"$out"; then
    ok "installed hub demo + stats as switchboard-hub: $(tr '\n\t' ' =' <<<"$out")"
  else
    bad "installed hub demo/stats: $(tail -n 3 "$work/hubdemo.log") $out"
  fi
  # The installed app under Xvfb must render the people list (as scripts/smoke.sh checks).
  $in apt-get install -y -qq --no-install-recommends xvfb xauth dbus dbus-x11 >"$work/apt-x.log" 2>&1 || { tail "$work/apt-x.log"; bad "xvfb in the root"; }
  cat >"$root/tmp/smoke.sh" <<'SMOKE'
set -eu
mkdir -p /tmp/smoke && cd /tmp/smoke
switchboard-hub demo --data /tmp/smoke/data --people 300 --messages 3000 --seed 7 >/dev/null 2>&1
export SWITCHBOARD_READY_FILE=/tmp/smoke/ready.json XDG_RUNTIME_DIR=/tmp/smoke/run
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
  switchboard --data /tmp/smoke/data & app=$!
  for i in $(seq 1 90); do [ -s "$SWITCHBOARD_READY_FILE" ] && break; sleep 0.5; done
  kill -TERM $app; for i in $(seq 1 20); do kill -0 $app 2>/dev/null || exit 0; sleep 0.5; done
  kill -KILL $app; exit 3'
cat "$SWITCHBOARD_READY_FILE"
SMOKE
  out=$(timeout 120 $in sh /tmp/smoke.sh 2>"$work/smoke.err") || true
  if [[ $out =~ \"rows\":([0-9]+) ]] && ((BASH_REMATCH[1] > 0)); then
    ok "installed app rendered ${BASH_REMATCH[1]} people rows under Xvfb and quit on SIGTERM"
  else
    bad "installed app did not render the list: $out $(tail -n 15 "$work/smoke.err")"
  fi
  took "installed app smoke"
  local files
  files=$($in dpkg -L switchboard | while read -r f; do [[ -f $root$f ]] && echo "$f"; done)
  if $in dpkg -r switchboard >"$work/remove.log" 2>&1; then
    local left="" f
    for f in $files; do [[ -e $root$f ]] && left+=" $f"; done
    [[ -z $left ]] && ok "dpkg -r removed all $(wc -w <<<"$files") files" || bad "dpkg -r left:$left"
  else
    bad "dpkg -r: $(cat "$work/remove.log")"
  fi
  if $in dpkg -P switchboard >"$work/purge.log" 2>&1 && [[ ! -e $root/var/lib/switchboard-hub ]]; then
    ok "dpkg -P removed /var/lib/switchboard-hub"
  else
    bad "dpkg -P: $(cat "$work/purge.log")"
  fi
  took "remove and purge"
}

for c in $checks; do
  case $c in
  windows) check_windows ;;
  linux) check_linux ;;
  *) echo "release-check: unknown check $c (windows, linux)" >&2; exit 2 ;;
  esac
done
echo "release-check: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
