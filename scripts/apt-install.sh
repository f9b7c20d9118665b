#!/usr/bin/env bash
# Installs the named Debian packages that are not installed yet (apt-get as root, or through
# sudo); the one place the project's scripts install system packages from.
#   scripts/apt-install.sh WHO PACKAGE…     (WHO names the caller in messages)
# Node's packages are skipped when node and npm already work (nvm, the machine image).
set -euo pipefail
who=$1
shift
missing=()
for p in "$@"; do
  if [[ $p == nodejs || $p == npm ]] && command -v node >/dev/null && command -v npm >/dev/null; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "$who: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "$who: run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
