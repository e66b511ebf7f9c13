#!/usr/bin/env bash
# Build schedsim (Release) and run the main job on the bundled defaults.
# Usage: scripts/run.sh [extra arguments for 'schedsim run']
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)"
bin=build/release/sim/schedsim
mkdir -p out
"$bin" graph gen --nodes 64 --racks 4 --sockets 2 --cores 16 --gpus 2 -o out/default.json
"$bin" graph info out/default.json
