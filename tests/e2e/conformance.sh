#!/usr/bin/env bash
# conformance.sh: Fluxion's resource-query conformance pack against
# 'schedsim query' (tests/conformance/run.py); fails if any JGF case fails.
# Environment (set by CTest): SCHEDSIM, SRCDIR, SHARED.
set -euo pipefail
: "${SCHEDSIM:?}" "${SRCDIR:?}" "${SHARED:?}"
if [ ! -f "$SHARED/conformance/cases.tsv" ]; then
    echo "conformance pack not found in $SHARED/conformance: skipped"
    exit 0
fi
exec python3 "$SRCDIR/tests/conformance/run.py" --pack "$SHARED/conformance" \
    --bin "$SCHEDSIM" --jobs 2
