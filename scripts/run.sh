#!/usr/bin/env bash
# Build schedsim (Release) and run the main job on the bundled defaults.
# Usage: scripts/run.sh [extra arguments for 'schedsim run', e.g. --queue-policy fcfs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)"
bin=build/release/sim/schedsim
# With no --graph/--trace, 'schedsim run' replays its embedded default: a generated
# cluster and a seeded Lublin-Feitelson workload.  Reports go to out/default/.
"$bin" run --out out/default "$@"
echo "reports written to $root/out/default/"
