#!/usr/bin/env bash
# End-to-end test of the Python package (python/, issue 6) against this build's
# libschedsim.so and schedsim command:
#   1. pytest on python/tests (seed document, every ReapiCli method, memory,
#      ReapiModule with a stand-in handle, sim.run);
#   2. 'pip install' of python/ into a throw-away venv, offline, and an import
#      of the installed copy with the library bundled;
#   3. the ReapiModule tests against a live Flux with Fluxion, when a 'flux'
#      command is found ($SCHEDSIM_FLUX, PATH, /opt/fluxion/core/bin/flux);
#      otherwise they are reported skipped, with the reason.
# Sanitizer builds: libasan is preloaded into Python (leak checking off: the
# interpreter keeps memory on purpose), fewer memory cycles, no live Flux.
# Env (from ctest): SRCDIR, BUILDDIR, SCHEDSIM, SHARED.
set -euo pipefail
: "${SRCDIR:?}" "${BUILDDIR:?}"
lib=$BUILDDIR/engine/libschedsim.so
[[ -f $lib ]] || { echo "python.sh: $lib not built" >&2; exit 1; }

py=""
for cand in /usr/bin/python3 python3; do
  if command -v "$cand" >/dev/null && "$cand" -c 'import cffi, pytest' 2>/dev/null; then
    py=$(command -v "$cand")
    break
  fi
done
if [[ -z $py ]]; then
  echo "python.sh: no python3 with cffi and pytest; install Debian's python3-cffi" \
    "python3-pytest (scripts/install-deps.sh does)" >&2
  exit 1
fi

export SCHEDSIM_LIB=$lib SCHEDSIM_SHARED_DIR=${SHARED:-/work/shared}
[[ -n ${SCHEDSIM:-} ]] && export SCHEDSIM_BIN=$SCHEDSIM
export PYTHONDONTWRITEBYTECODE=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sanitized=0
# (not 'ldd | grep -q': grep -q stops reading at the first match, ldd may
# then die of SIGPIPE, and pipefail turns the match into a miss -- which,
# now and then, ran the sanitized library without its runtime preloaded)
deps=$(ldd "$lib")
if [[ $deps == *libasan* ]]; then
  sanitized=1
  export LD_PRELOAD=$(gcc -print-file-name=libasan.so)
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$tmp/asan SCHEDSIM_MEM_CYCLES=2000
fi

cd "$SRCDIR/python"
echo "== pytest ($py, $lib)"
rc=0
"$py" -m pytest -q -rsx -p no:cacheprovider tests || rc=$?
if ((rc != 0)); then
  if ((sanitized)) && compgen -G "$tmp/asan*" >/dev/null; then
    echo "python.sh: the sanitizer reported (pytest exit $rc); its logs:" >&2
    cat "$tmp"/asan* >&2
  fi
  exit "$rc"
fi

if ((sanitized)); then
  echo "== skipped under sanitizers: pip install check, live Flux tests"
  exit 0
fi

pip_check() {
  # from a copy: setuptools builds in the source directory, which stays clean
  cp -r "$SRCDIR/python" "$tmp/src"
  (cd "$tmp" && "$tmp/venv/bin/python" -m pip install -q --no-index --no-cache-dir ./src)
  cat >"$tmp/check.py" <<'PY'
import os, sys
sys.path.append(os.path.join(sys.argv[1], "python", "tests"))  # seed_data only
import schedsim._ffi as f
from schedsim.reapi_cli import ReapiCli
from seed_data import JOBSPEC, OPTIONS, RGRAPH
assert f.__file__.startswith(sys.argv[2]), f.__file__  # the installed copy
assert f.candidates()[0] == os.path.join(os.path.dirname(f.__file__), "libschedsim.so")
with ReapiCli(RGRAPH, OPTIONS) as cli:
    assert cli.match(JOBSPEC)[:2] == (1, False)
print("installed copy works:", os.path.dirname(f.__file__), "(library bundled)")
PY
  (cd "$tmp" && env -u SCHEDSIM_LIB "$tmp/venv/bin/python" check.py "$SRCDIR" "$tmp/venv")
}

echo "== pip install ./python (offline, throw-away venv)"
if "$py" -m venv --system-site-packages "$tmp/venv" >"$tmp/venv.log" 2>&1; then
  pip_check
else
  echo "   SKIPPED: '$py -m venv' does not work here (Debian: install python3-venv)"
fi

flux=${SCHEDSIM_FLUX:-}
[[ -z $flux ]] && flux=$(command -v flux || true)
[[ -z $flux && -x /opt/fluxion/core/bin/flux ]] && flux=/opt/fluxion/core/bin/flux
if [[ -z $flux ]]; then
  echo "== live Flux tests SKIPPED: no 'flux' command (set SCHEDSIM_FLUX; Fluxion's"
  echo "   build: ../shared/fluxion/build.sh)"
  exit 0
fi
echo "== live Flux tests ($flux start ... flux python -m pytest)"
timeout 600 "$flux" start -s1 "$flux" python -m pytest -q -rs -p no:cacheprovider \
  tests/test_reapi_module.py tests/test_seed.py
