#!/usr/bin/env bash
# Install the Debian 12 packages schedsim's build and tests need, when missing.
# Idempotent and quiet when everything is present; uses sudo when not root.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libjansson-dev libyaml-dev libgsl-dev check
      libsubunit-dev libxml2-dev libhwloc-dev clang-format python3 python3-cffi
      python3-pytest python3-venv gnuplot-nox)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null ||
    missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
