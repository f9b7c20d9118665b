#!/usr/bin/env bash
# Builds libopus as a static library for the mingw-w64 cross-compiler (Windows amd64), which
# Debian does not package. The source is Debian's own source package (the same libopus 1.3.1 and
# patches the Linux build links), fetched from the Debian mirror and checked against a pinned
# SHA-256 of its .dsc, whose own SHA-256 lines then check the tarballs.
# Built once into build/mingw/ (git-ignored); prints the pkg-config directory to use.
#   PKG_CONFIG_LIBDIR=$(scripts/build-opus-mingw.sh) pkg-config --libs opus
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.3.1-3
dsc_sha256=c373ac82a1afb824819618c12e279ee47b6ac2fa18083b9ef2bb9e8e9e588419
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
host=x86_64-w64-mingw32
prefix=$PWD/build/mingw/opus-$version
stamp=$prefix/.built

if [[ -f $stamp ]]; then
  echo "$prefix/lib/pkgconfig"
  exit 0
fi
command -v $host-gcc >/dev/null || { echo "build-opus-mingw: $host-gcc is missing (apt-get install gcc-mingw-w64-x86-64)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  cd "$work"
  curl -fsSLO "$mirror/pool/main/o/opus/opus_$version.dsc"
  echo "$dsc_sha256  opus_$version.dsc" | sha256sum -c --quiet -
  sed -n '/^Checksums-Sha256:/,/^[A-Z]/p' "opus_$version.dsc" | awk 'NF==3 {print $1 "  " $3}' >sums
  while read -r _ f; do curl -fsSLO "$mirror/pool/main/o/opus/$f"; done <sums
  sha256sum -c --quiet sums
  # Unpacks the tarballs and applies Debian's patches (the signature needs Debian's keyring,
  # which the pinned .dsc checksum stands in for).
  dpkg-source --no-check -x "opus_$version.dsc" src
  cd src
  # No stack protector and no _FORTIFY_SOURCE (defined as 0 so configure does not add =2): with
  # mingw both need libssp at link time, which cgo's flags from opus.pc would not name.
  ./configure --host=$host --prefix="$prefix" --enable-static --disable-shared \
    --disable-doc --disable-extra-programs --disable-stack-protector \
    CFLAGS="-O2" CPPFLAGS="-D_FORTIFY_SOURCE=0"
  make -j"$(nproc)"
  rm -rf "$prefix"
  make install
} >&2
touch "$stamp"
echo "$prefix/lib/pkgconfig"
