#!/usr/bin/env bash
# `make release`: builds the release into dist/, named with the version, with SHA-256 sums.
#   Linux:   switchboard_<V>_linux_amd64, switchboard-hub_<V>_linux_amd64 (stripped) and
#            switchboard_<V>_amd64.deb (app, .desktop, icons, hub + systemd unit), lintian-checked
#   Windows: switchboard_<V>_windows_amd64.exe, Switchboard_<V>_windows_amd64_setup.exe (NSIS,
#            installs WebView2 when missing), switchboard-hub_<V>_windows_amd64.exe
#   switchboard_<V>_SHA256SUMS
# The version is the tag on HEAD (vX.Y.Z), else wails.json's productVersion; a tag that differs
# from wails.json is refused, because the Windows version resource is made from wails.json.
# RELEASE_TARGETS="linux windows" (default both) picks what to build.
# scripts/release-check.sh then installs and runs what this built.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"

GO=${GO:-go}
TAGS="fts5 nolibopusfile"
source scripts/cgo-env.sh # CGO_CFLAGS: the C code left out of every build
WAILS=("$GO" run github.com/wailsapp/wails/v2/cmd/wails@v2.12.0)
targets=${RELEASE_TARGETS:-linux windows}
dist=dist
work=build/release

step_started=0
step() { step_started=$SECONDS; echo "release: $*"; }
took() { echo "release: ... took $((SECONDS - step_started)) s"; }

bash scripts/install-release-deps.sh

# The version: from the tag on HEAD, else wails.json.
wails_version=$(sed -nE 's/.*"productVersion": *"([^"]+)".*/\1/p' wails.json)
tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null || true)
V=${tag#v}
if [[ -z $V ]]; then
  V=$wails_version
elif [[ $V != "$wails_version" ]]; then
  echo "release: tag $tag but wails.json says $wails_version; set info.productVersion to $V first" >&2
  exit 1
fi
[[ $V =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release: version '$V' is not X.Y.Z" >&2; exit 1; }
LDFLAGS="-s -w -X switchboard/backend/version.Version=$V"
echo "release: version $V"
# Reproducible timestamps (changelog, archives): the commit's time.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}

# dist/ keeps what other targets built for this version (RELEASE_TARGETS=windows after linux).
mkdir -p "$dist"
find "$dist" -maxdepth 1 -type f ! -name "*_${V}_*" -delete
rm -rf "$work"
mkdir -p "$work"

step "frontend"
make --no-print-directory frontend >/dev/null
took

build_linux() {
  step "linux: app (wails build) and hub"
  # Position-independent executables (ASLR), as Debian builds its own; GOFLAGS reaches the
  # go build that Wails runs.
  GOFLAGS="${GOFLAGS:-} -buildmode=pie" "${WAILS[@]}" build -s -m -nosyncgomod -trimpath -ldflags "$LDFLAGS" >"$work/wails-linux.log" 2>&1 ||
    { tail -n 40 "$work/wails-linux.log"; exit 1; }
  cp build/bin/switchboard "$dist/switchboard_${V}_linux_amd64"
  $GO build -buildmode=pie -tags "$TAGS" -trimpath -ldflags "$LDFLAGS" -o "$dist/switchboard-hub_${V}_linux_amd64" ./backend/cmd/switchboard-hub
  took
  step "linux: .deb"
  build_deb
  took
}

build_deb() {
  local root=$work/deb/switchboard_${V}_amd64 src=build/linux/deb
  install -D -m 0755 "$dist/switchboard_${V}_linux_amd64" "$root/usr/bin/switchboard"
  install -D -m 0755 "$dist/switchboard-hub_${V}_linux_amd64" "$root/usr/bin/switchboard-hub"
  install -D -m 0644 build/linux/switchboard.desktop "$root/usr/share/applications/switchboard.desktop"
  for s in 16 22 24 32 48 64 128 256 512; do
    mkdir -p "$root/usr/share/icons/hicolor/${s}x${s}/apps"
    convert build/appicon.png -resize "${s}x${s}" -depth 8 -strip "PNG32:$root/usr/share/icons/hicolor/${s}x${s}/apps/switchboard.png"
  done
  install -D -m 0644 "$src/switchboard-hub.service" "$root/lib/systemd/system/switchboard-hub.service"
  mkdir -p "$root/usr/share/man/man1" "$root/usr/share/doc/switchboard"
  for m in switchboard switchboard-hub; do
    sed "s/@VERSION@/$V/" "$src/$m.1" | gzip -9n >"$root/usr/share/man/man1/$m.1.gz"
  done
  install -m 0644 "$src/copyright" "$root/usr/share/doc/switchboard/copyright"
  printf 'switchboard (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- Switchboard <team@switchboard.invalid>  %s\n' \
    "$V" "$V" "$(date -R -u -d "@$SOURCE_DATE_EPOCH")" | gzip -9n >"$root/usr/share/doc/switchboard/changelog.gz"
  # Library dependencies as Debian computes them for its own packages (versioned).
  local shl
  mkdir -p "$work/deb/shlibs/debian"
  printf 'Source: switchboard\n\nPackage: switchboard\nArchitecture: amd64\n' >"$work/deb/shlibs/debian/control"
  shl=$(cd "$work/deb/shlibs" && dpkg-shlibdeps -O -e"../switchboard_${V}_amd64/usr/bin/switchboard" \
    -e"../switchboard_${V}_amd64/usr/bin/switchboard-hub" 2>/dev/null | sed 's/^shlibs:Depends=//')
  mkdir -p "$root/DEBIAN"
  sed -e "s/@VERSION@/$V/" -e "s/@SIZE@/$(du -sk --apparent-size "$root" | cut -f1)/" -e "s/@SHLIBS@/$shl/" \
    "$src/control.in" >"$root/DEBIAN/control"
  install -m 0755 "$src/postinst" "$src/prerm" "$src/postrm" "$root/DEBIAN/"
  (cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"
  chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"
  find "$root" -type d -exec chmod 0755 {} +
  dpkg-deb --root-owner-group -Zxz --build "$root" "$dist/switchboard_${V}_amd64.deb" >/dev/null
  echo "release: Depends: $(sed -n 's/^Depends: //p' "$root/DEBIAN/control")"
  echo "release: lintian"
  # Exit status 0 unless lintian finds an error; warnings are printed (README: Release explains
  # the ones that remain).
  lintian --info "$dist/switchboard_${V}_amd64.deb" | tee "$work/lintian.txt"
}

build_windows() {
  # The CLI itself is a Linux program: built before the cross-compiler's environment is set.
  GOBIN=$PWD/$work/bin $GO install github.com/wailsapp/wails/v2/cmd/wails@v2.12.0
  step "windows: libopus for mingw (cached in build/mingw)"
  source scripts/mingw-env.sh
  took
  step "windows: app and NSIS installer (wails build -platform windows/amd64 -nsis)"
  # Wails renders its NSIS helper template in place; the committed file stays the template.
  cp build/windows/installer/wails_tools.nsh "$work/wails_tools.nsh"
  trap 'cp "$work/wails_tools.nsh" build/windows/installer/wails_tools.nsh' EXIT
  "$work/bin/wails" build -s -m -nosyncgomod -skipbindings -trimpath -platform windows/amd64 -nsis \
    -ldflags "$LDFLAGS" >"$work/wails-windows.log" 2>&1 || { tail -n 40 "$work/wails-windows.log"; exit 1; }
  cp build/bin/switchboard.exe "$dist/switchboard_${V}_windows_amd64.exe"
  cp build/bin/Switchboard-amd64-installer.exe "$dist/Switchboard_${V}_windows_amd64_setup.exe"
  took
  step "windows: hub"
  GOOS=windows GOARCH=amd64 $GO build -tags "$TAGS" -trimpath -ldflags "$LDFLAGS" \
    -o "$dist/switchboard-hub_${V}_windows_amd64.exe" ./backend/cmd/switchboard-hub
  took
  unset CGO_ENABLED CC CXX PKG_CONFIG_LIBDIR CGO_LDFLAGS
}

for t in $targets; do
  case $t in
  linux) build_linux ;;
  windows) build_windows ;;
  *) echo "release: unknown target $t (linux, windows)" >&2; exit 1 ;;
  esac
done

rm -f "$dist/switchboard_${V}_SHA256SUMS"
(cd "$dist" && sha256sum -- *"_${V}_"* >"switchboard_${V}_SHA256SUMS.tmp" && mv "switchboard_${V}_SHA256SUMS.tmp" "switchboard_${V}_SHA256SUMS")
echo "release: dist/ ($SECONDS s in all)"
ls -l "$dist"
