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
# Make 'python3 -c "import schedsim"' work after the build, as an editable install
# would: a .pth file in the user's site-packages naming python/ (skipped inside a
# venv or when user site-packages are disabled; pip install ./python is the other way).
if command -v python3 >/dev/null 2>&1; then
  site=$(python3 -c 'import site, sys; print(site.getusersitepackages() if site.ENABLE_USER_SITE and sys.prefix == sys.base_prefix else "")' 2>/dev/null || true)
  if [[ -n $site ]] && mkdir -p "$site" 2>/dev/null; then
    echo "$root/python" >"$site/schedsim-checkout.pth"
  fi
fi
# With no --graph/--trace, 'schedsim run' replays its embedded default: a generated
# cluster and a seeded Lublin-Feitelson workload.  Reports go to out/default/.
"$bin" run --out out/default "$@"
