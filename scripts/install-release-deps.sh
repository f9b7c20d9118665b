#!/usr/bin/env bash
# Installs what `make release` and `make release-check` need beyond scripts/install-deps.sh, on
# Debian 12 (apt-get as root, or through sudo): the mingw-w64 cross-compiler (cgo for Windows),
# NSIS (makensis, for Wails' -nsis), wine (runs the Windows binaries here), lintian, debootstrap
# (a clean Debian root to install the .deb into), dpkg-dev (dpkg-shlibdeps, dpkg-source), 7-Zip
# (reads the NSIS installer's contents).
# Only what is missing is installed (scripts/apt-install.sh).
set -euo pipefail
packages=(
  gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 nsis wine64
  lintian debootstrap dpkg-dev curl ca-certificates imagemagick binutils p7zip-full
)
command -v dpkg >/dev/null || { echo "install-release-deps: releases are built on Debian/Ubuntu" >&2; exit 1; }
exec bash "$(dirname "$0")/apt-install.sh" install-release-deps "${packages[@]}"
