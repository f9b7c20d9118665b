#!/usr/bin/env bash
# Installs what `make release` and `make release-check` need beyond scripts/install-deps.sh, on
# Debian 12 (apt-get as root, or through sudo): the mingw-w64 cross-compiler (cgo for Windows),
# NSIS (makensis, for Wails' -nsis), wine (runs the Windows binaries here), lintian, debootstrap
# (a clean Debian root to install the .deb into), dpkg-dev (dpkg-shlibdeps, dpkg-source), 7-Zip
# (reads the NSIS installer's contents).
# Only what is missing is installed.
set -euo pipefail
packages=(
  gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 nsis wine64
  lintian debootstrap dpkg-dev curl ca-certificates imagemagick binutils p7zip-full
)
command -v dpkg >/dev/null || { echo "install-release-deps: releases are built on Debian/Ubuntu" >&2; exit 1; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "install-release-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-release-deps: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
