#!/usr/bin/env bash
# `make test-windows`: the Windows side of the code, checked from Linux.
#   1. GOOS=windows go vet of every package, with the mingw-w64 cross-compiler for cgo (SQLite,
#      Opus, miniaudio): Windows-only files (paths under %AppData%, the data directory's ACL,
#      the notifier, single instance, the tray) must compile.
#   2. Test binaries (GOOS=windows go test -c) of the packages with Windows-only code, and of
#      those whose tests need no window (store, secrets, notify, version), run under wine. (The
#      hub's tests build the hub with the go tool, absent under wine; scripts/release-check.sh
#      runs the hub .exe itself under wine instead.)
# Prints "windows-test: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
GO=${GO:-go}
TAGS="fts5 nolibopusfile"
source scripts/cgo-env.sh # CGO_CFLAGS: the C code left out of every build
bash scripts/install-release-deps.sh
work=$(mktemp -d /tmp/switchboard-windows-test.XXXXXX)
trap 'declare -F wine_stop >/dev/null && wine_stop; rm -rf "$work"' EXIT
start=$SECONDS

source scripts/mingw-env.sh
export GOOS=windows GOARCH=amd64
# Go 1.26's os.RemoveAll on Windows deletes through an NT call wine 8 does not implement
# ("unlinkat …: Invalid function"; real Windows 10+ has it), so t.TempDir's cleanup fails under
# wine after any test that left a file. only_wine_cleanup says whether that is a log's only
# failure: every line reported under a failed test is such a cleanup error, and nothing panicked.
# (Without -test.v, a failed test's messages follow its "--- FAIL" line.)
only_wine_cleanup() {
  grep -q '^--- FAIL' "$1" && ! grep -q '^panic:\|^FAIL.*\[build failed\]' "$1" &&
    awk '/^ *--- FAIL/ {f = 1; next} /^(=== |--- |PASS|FAIL|ok )/ {f = 0} f && /^    / && !/TempDir RemoveAll cleanup: .*Invalid function/ {bad = 1} END {exit bad}' "$1"
}

passed=0 failed=0
# Every package (tests aside) must build for Windows; then vet, tests included.
if $GO build -tags "$TAGS" . ./app/... ./backend/...; then
  passed=$((passed + 1)); echo "windows-test: ok   GOOS=windows go build (every package)"
else
  failed=$((failed + 1)); echo "windows-test: FAIL GOOS=windows go build"
fi
if $GO vet -tags "$TAGS" . ./app/... ./backend/...; then
  passed=$((passed + 1)); echo "windows-test: ok   GOOS=windows go vet (tests included)"
else
  failed=$((failed + 1)); echo "windows-test: FAIL GOOS=windows go vet (tests included)"
fi
echo "windows-test: build and vet took $((SECONDS - start)) s"

# Packages with Windows-only Go files (by name or build constraint), plus the headless core.
mapfile -t pkgs < <(
  {
    grep -rlE --include='*.go' '^//go:build .*windows' app backend 2>/dev/null | xargs -r -n1 dirname
    find app backend -name '*_windows.go' -o -name '*_windows_test.go' | xargs -r -n1 dirname
    printf '%s\n' backend/store backend/secrets backend/notify backend/version
  } | sort -u | sed 's|^|./|'
)
unset GOOS GOARCH CGO_ENABLED CC CXX PKG_CONFIG_LIBDIR CGO_LDFLAGS
source scripts/wine-env.sh "$work/wine"
source scripts/mingw-env.sh
export GOOS=windows GOARCH=amd64
for p in "${pkgs[@]}"; do
  [[ -n $(ls "$p"/*_test.go 2>/dev/null) ]] || continue
  exe=$work/$(tr / _ <<<"${p#./}").test.exe
  if ! $GO test -c -tags "$TAGS" -o "$exe" "$p" 2>"$work/build.log"; then
    failed=$((failed + 1)); echo "windows-test: FAIL $p (the tests do not compile for Windows)"; cat "$work/build.log"
    continue
  fi
  # Tests run in the package directory (testdata/), with a Windows temp directory; make
  # test-windows runs this under scripts/with-postgres.sh, so the PostgreSQL halves of the store's
  # tests run too (under CI they fail rather than skip without a server).
  if (cd "$p" && wine_run "$exe" -test.count=1 -test.timeout=5m >"$work/out.log" 2>&1) || only_wine_cleanup "$work/out.log"; then
    passed=$((passed + 1))
    echo "windows-test: ok   $p ($(grep -c -- '--- FAIL' "$work/out.log" || true) tests failed only in wine's TempDir cleanup)"
  else
    failed=$((failed + 1)); echo "windows-test: FAIL $p"
    # What failed besides wine's cleanup (each failed test's other lines, and any panic), then the end.
    grep -n '^panic:\|\[build failed\]' "$work/out.log" || true
    awk '/^ *--- FAIL/ {f = 1; t = $0; next} /^(=== |--- |PASS|FAIL|ok )/ {f = 0} f && /^    / && !/TempDir RemoveAll cleanup: .*Invalid function/ {print t; print}' "$work/out.log" | head -n 60
    tail -n 5 "$work/out.log"
  fi
done
echo "windows-test: $passed passed, $failed failed ($((SECONDS - start)) s)"
[[ $failed -eq 0 ]]
