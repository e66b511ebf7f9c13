#!/usr/bin/env bash
# Differential test of 'schedsim query' against Fluxion's resource-query, run on
# demand (never by the test suite or CI: it needs a Fluxion build).
#   usage: run.sh FIRST_SEED LAST_SEED [POLICY...]
# For each seed, gen.py writes a random JGF graph (cluster/racks/nodes/sockets/
# cores/gpus/memory) and a stream of match (allocate, allocate_orelse_reserve,
# allocate_with_satisfiability, satisfiability) and "cancel N stats" commands;
# both programs run it with -e for every policy, and their -t files (ELAPSE
# lines aside) and visit counts are compared byte for byte.
# Environment: SCHEDSIM (default build/dev/sim/schedsim), RQ (default
# /opt/fluxion/bin/resource-query), PRUNE (default ALL:core,ALL:node).
set -u
here=$(cd "$(dirname "$0")" && pwd)
SCHEDSIM=${SCHEDSIM:-build/dev/sim/schedsim}
RQ=${RQ:-/opt/fluxion/bin/resource-query}
PRUNE=${PRUNE:-ALL:core,ALL:node}
first=$1 last=$2
shift 2
policies=${*:-first low high lonode hinodex firstnodex locality variation}
work=$(mktemp -d)
ok=0 bad=0
for s in $(seq "$first" "$last"); do
    d=$work/s$s
    python3 "$here/gen.py" "$s" "$d"
    sed -i 's/^cancel \([0-9]*\)$/cancel \1 stats/' "$d/cmds"
    for p in $policies; do
        "$RQ" -L "$d/g.json" -f jgf -S CA -P "$p" --prune-filters="$PRUNE" -e \
            -t "$d/ref.$p" < "$d/cmds" 2>/dev/null | grep ORDER > "$d/refo.$p"
        "$SCHEDSIM" query -L "$d/g.json" -f jgf -S CA -P "$p" --prune-filters="$PRUNE" -e \
            -t "$d/our.$p" < "$d/cmds" 2>/dev/null | grep ORDER > "$d/ouro.$p"
        if cmp -s <(grep -v ELAPSE "$d/ref.$p") <(grep -v ELAPSE "$d/our.$p") &&
            cmp -s "$d/refo.$p" "$d/ouro.$p"; then
            ok=$((ok + 1))
        else
            bad=$((bad + 1))
            echo "DIFF seed $s policy $p: $d"
        fi
    done
done
echo "$ok identical, $bad different"
[ "$bad" -eq 0 ]
