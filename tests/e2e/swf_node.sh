#!/usr/bin/env bash
# swf_node.sh: '--swf-unit node' gives every job whole nodes on any node shape
# (issue 5; workloads/wjob.h).  The first 1,000 jobs of lublin_256 on 256 nodes
# of 4 cores, as one socket of 4, two of 2 and four of 1:
#   1. nothing is rejected and the schedule (starts, ends, nodes) is the same on
#      every shape; every allocation holds all 4 cores of each of its nodes;
#   2. cores per node come from the graph unless --cores-per-node says;
#   3. the same trace converted to JSON lines replays to the same schedule.
# Env (from ctest): SCHEDSIM, SHARED.
set -uo pipefail
: "${SCHEDSIM:?}" "${SHARED:?}"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
awk '/^;/ { print; next } ++n <= 1000' "$SHARED/traces/lublin_256.swf" > "$TMP/l.swf"
# the deterministic schedule of a run: id, start, end, nodes, state
sched() { cut -d, -f1,3,4,11,12 "$1/jobs.csv"; }
summary() { grep -E "^$2," "$1/summary.csv" | cut -d, -f2; }

for shape in "1 4" "2 2" "4 1"; do
    set -- $shape
    "$SCHEDSIM" graph gen -n 256 -s "$1" -c "$2" -o "$TMP/g$1.json" || fail "graph gen $shape"
    "$SCHEDSIM" run --quiet --graph "$TMP/g$1.json" --trace "$TMP/l.swf" --swf-unit node \
        --queue-policy easy --out "$TMP/run$1" || fail "run on $1 sockets"
    [[ $(summary "$TMP/run$1" jobs_completed) == 1000 ]] ||
        fail "$1 sockets: $(summary "$TMP/run$1" jobs_rejected) jobs rejected"
    grep -q "cores_per_node=4" "$TMP/run$1/summary.csv" || fail "$1 sockets: cores per node"
    if grep -qv '"core":"0-3"}' "$TMP/run$1/allocations.jsonl"; then
        fail "$1 sockets: an allocation without every core of its nodes"
    fi
done
cmp -s <(sched "$TMP/run1") <(sched "$TMP/run2") || fail "2 sockets: other schedule"
cmp -s <(sched "$TMP/run1") <(sched "$TMP/run4") || fail "4 sockets: other schedule"

# 2. --cores-per-node 2 on 4-core nodes: twice the nodes, still whole ones
"$SCHEDSIM" run --quiet --graph "$TMP/g2.json" --trace "$TMP/l.swf" --swf-unit node \
    --cores-per-node 2 --queue-policy fcfs --out "$TMP/cpn2" || fail "run --cores-per-node 2"
[[ $(summary "$TMP/cpn2" jobs_completed) == 1000 ]] || fail "cpn 2: jobs rejected"
awk -F, 'NR > 1 && $9 != 2 * $8 { bad = 1 } END { exit bad }' "$TMP/cpn2/jobs.csv" ||
    fail "cpn 2: requested cores are not 2 per node"

# 3. JSON lines of the same trace, by nodes
"$SCHEDSIM" workload convert "$TMP/l.swf" --swf-unit node --cores-per-node 4 \
    -o "$TMP/l.jsonl" || fail "convert"
"$SCHEDSIM" run --quiet --graph "$TMP/g2.json" --trace "$TMP/l.jsonl" --queue-policy easy \
    --out "$TMP/jl" || fail "run JSON lines"
cmp -s <(sched "$TMP/run2") <(sched "$TMP/jl") || fail "JSON lines: other schedule"

# 4. nodes of different sizes (4 and 12 cores, 8 on average): the idle-core
# shortcut must use the smallest node, or a 1-node job waits while node0 idles
python3 - "$TMP/het.json" <<'PY'
import json, sys
nodes, edges = [], []
def v(t, name, i, rank, path):
    u = len(nodes)
    nodes.append({"id": str(u), "metadata": {"type": t, "basename": t, "name": name,
        "id": i, "uniq_id": u, "rank": rank, "exclusive": False, "unit": "", "size": 1,
        "paths": {"containment": path}}})
    return u
c = v("cluster", "cluster0", 0, -1, "/cluster0")
core = 0
for n, ncores in ((0, 4), (1, 12)):
    nv = v("node", f"node{n}", n, n, f"/cluster0/node{n}")
    edges.append({"source": str(c), "target": str(nv), "metadata": {"subsystem": "containment"}})
    for _ in range(ncores):
        cv = v("core", f"core{core}", core, -1, f"/cluster0/node{n}/core{core}")
        edges.append({"source": str(nv), "target": str(cv), "metadata": {"subsystem": "containment"}})
        core += 1
json.dump({"graph": {"nodes": nodes, "edges": edges}}, open(sys.argv[1], "w"))
PY
printf '1 0 -1 1000 8 -1 -1 8 1000 -1 1 1 1 -1 -1 -1 -1 -1\n2 10 -1 100 1 -1 -1 1 100 -1 1 1 1 -1 -1 -1 -1 -1\n' > "$TMP/het.swf"
"$SCHEDSIM" run --quiet --graph "$TMP/het.json" --trace "$TMP/het.swf" --swf-unit node \
    --queue-policy fcfs --out "$TMP/het" || fail "run on uneven nodes"
awk -F, '$1 == 2 && $3 != 10 { bad = 1 } END { exit bad }' "$TMP/het/jobs.csv" ||
    fail "uneven nodes: job 2 did not start at once on the idle node"

[[ $fails -eq 0 ]] || { echo "swf_node.sh: $fails failure(s)" >&2; exit 1; }
echo "swf_node.sh: ok"
