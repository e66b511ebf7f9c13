#!/usr/bin/env bash
# abi.sh: the names libschedsim.so exports are exactly those listed in
# engine/eng.sym, so the ABI never changes by accident (STYLE.md section 2).
# A deliberate change edits eng.sym in the same commit:
#   nm -D --defined-only build/X/engine/libschedsim.so | awk '{print $3}' | LC_ALL=C sort
# Environment (set by CTest): SRCDIR, BUILDDIR.
set -euo pipefail
: "${SRCDIR:?}" "${BUILDDIR:?}"
lib="$BUILDDIR/engine/libschedsim.so"
[[ -f $lib ]] || { echo "abi.sh: $lib not built" >&2; exit 1; }
if ! diff -u "$SRCDIR/engine/eng.sym" \
    <(nm -D --defined-only "$lib" | awk '{print $3}' | LC_ALL=C sort); then
    echo "abi.sh: exported symbols differ from engine/eng.sym (- listed, + exported)" >&2
    exit 1
fi
echo "abi.sh: $(wc -l <"$SRCDIR/engine/eng.sym") exported names match engine/eng.sym"
