#!/usr/bin/env bash
# conformance.sh: Fluxion's resource-query conformance pack against
# 'schedsim query' (tests/conformance/run.py): every row runs and is counted
# per load format; the test fails if any row of any load format fails.
# Environment (set by CTest): SCHEDSIM, SRCDIR, SHARED.
set -euo pipefail
: "${SCHEDSIM:?}" "${SRCDIR:?}" "${SHARED:?}"
if [ ! -f "$SHARED/conformance/cases.tsv" ]; then
    echo "conformance pack not found in $SHARED/conformance: skipped"
    exit 0
fi
exec python3 "$SRCDIR/tests/conformance/run.py" --pack "$SHARED/conformance" \
    --bin "$SCHEDSIM" --jobs 2 --all-formats --gate jgf,grug,hwloc,rv1exec
