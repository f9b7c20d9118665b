# Sourced: `source scripts/wine-env.sh DIR` makes a throw-away 64-bit wine prefix in DIR and a
# wine_run function that runs a Windows console program there, quietly. Debian 12's wine (8.0)
# lacks bcryptprimitives.dll, which Go >= 1.24 programs need at start-up: a ProcessPrng built
# from scripts/wine/bcryptprimitives.c goes into the prefix's system32 (test harness only).
export WINEPREFIX=$1 WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml="
WINE=${WINE:-/usr/lib/wine/wine64}
[[ -x $WINE ]] || WINE=$(command -v wine64 || command -v wine)
mkdir -p "$WINEPREFIX"
DISPLAY= "$WINE" wineboot --init >/dev/null 2>&1 || true
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$(dirname "${BASH_SOURCE[0]}")/wine/bcryptprimitives.c" -ladvapi32
wine_run() { "$WINE" "$@"; }
# wine_stop ends this prefix's wineserver (and anything left running in it) so it can be deleted.
wine_stop() { "$(dirname "$WINE")/wineserver" -k 2>/dev/null || wineserver -k 2>/dev/null || true; }
