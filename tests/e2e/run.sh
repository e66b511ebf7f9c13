#!/usr/bin/env bash
# run.sh: end-to-end checks of 'schedsim run', 'compare' and 'plot' on real traces.
#
# Environment (set by CTest): SCHEDSIM (binary), SRCDIR, SHARED (/work/shared),
# BUILDDIR.  Checks, from the written reports:
#   - the embedded default run writes every report, jobs.csv with the exact columns;
#   - no resource is used by two jobs at once (from allocations.jsonl), never more
#     cores busy than exist, every job starts at or after its submit and ends at
#     start + min(run time, walltime);
#   - fcfs starts jobs in submit order; under easy no job starts after its first
#     reservation;
#   - the same run twice gives identical deterministic columns (all but match_us
#     and the summary's wall_* metrics);
#   - bad input gives a positioned error and exit status 1, bad options 2.
set -euo pipefail
: "${SCHEDSIM:?}" "${SHARED:?}"
# Under sanitizers everything runs several times slower: the easy replay takes a
# shorter prefix of the trace there (the plain build replays the longer one).
EASY_JOBS=1000 DEEP_JOBS=300
if grep -qs '^PROJ_SANITIZE:STRING=.\+' "${BUILDDIR:-/nonexistent}/CMakeCache.txt"; then
    EASY_JOBS=400 DEEP_JOBS=100
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

check_run() { # DIR POLICY TOTAL_CORES
    python3 - "$1" "$2" "$3" <<'PY'
import csv, json, sys
d, policy, total_cores = sys.argv[1], sys.argv[2], int(sys.argv[3])
def ids(s):
    out = []
    for part in s.split(','):
        if '-' in part:
            lo, hi = part.split('-'); out.extend(range(int(lo), int(hi) + 1))
        elif part:
            out.append(int(part))
    return out
rows = list(csv.DictReader(open(f"{d}/jobs.csv")))
by_id = {}
last_start = -1
for r in rows:
    if r['state'] != 'completed':
        assert r['state'] in ('rejected', 'unmapped'), r
        continue
    s, e, sub = int(r['start']), int(r['end']), int(r['submit'])
    assert s >= sub, f"job {r['id']} starts before submit"
    assert e == s + min(int(r['runtime']), int(r['walltime'])), f"job {r['id']} end"
    assert int(r['wait']) == s - sub
    if policy == 'fcfs':
        assert s >= last_start, f"fcfs: job {r['id']} overtook an earlier job"
        last_start = s
    if policy == 'easy' and r['first_reserved_at']:
        assert s <= int(r['first_reserved_at']), f"easy: job {r['id']} delayed"
    by_id[r['id']] = (s, e)
# who used which core when: per (rank, core) the intervals must not overlap
use, events = {}, []
for line in open(f"{d}/allocations.jsonl"):
    a = json.loads(line)
    assert by_id[str(a['id'])] == (a['start'], a['end'])
    n = 0
    for ent in a['R_lite']:
        for rank in ids(ent['rank']):
            for core in ids(ent['children'].get('core', '')):
                use.setdefault((rank, core), []).append((a['start'], a['end'], a['id']))
                n += 1
    events += [(a['start'], 1, n), (a['end'], 0, -n)]
for k, iv in use.items():
    iv.sort()
    for (s0, e0, j0), (s1, e1, j1) in zip(iv, iv[1:]):
        assert s1 >= e0, f"core {k} used by jobs {j0} and {j1} at once"
busy = 0
for t, _, n in sorted(events):
    busy += n
    assert busy <= total_cores, f"{busy} cores busy of {total_cores} at {t}"
print(f"ok: {d}: {len(by_id)} jobs checked")
PY
}

# Deterministic content of a run: jobs.csv without match_us, summary without wall_*.
det() {
    cut -d, -f1-14 "$1/jobs.csv"
    cat "$1/allocations.jsonl" "$1/utilisation.csv"
    grep -v '^wall_' "$1/summary.csv"
}

# 1. the embedded default
(cd "$TMP" && "$SCHEDSIM" run --quiet) || fail "default run"
for f in jobs.csv allocations.jsonl utilisation.csv summary.csv summary.json summary.txt; do
    [ -s "$TMP/out/$f" ] || fail "default run did not write $f"
done
[ "$(head -1 "$TMP/out/jobs.csv")" = \
  "id,submit,start,end,wait,runtime,walltime,nodes,cores,gpus,nodelist,state,first_reserved_at,match_calls,match_us" ] \
    || fail "jobs.csv header"
check_run "$TMP/out" easy 2048

# 2. lublin_256 on a 256-node graph (one core per node), whole nodes.  fcfs replays
# the whole trace; easy replays its first EASY_JOBS jobs twice, for determinism (the
# engine's reservations make a full easy replay take minutes; bench_sim has it).
"$SCHEDSIM" graph gen -n 256 -s 1 -c 1 -o "$TMP/g256.json"
L256="$SHARED/traces/lublin_256.swf"
"$SCHEDSIM" run --quiet --graph "$TMP/g256.json" --trace "$L256" --swf-unit node \
    --queue-policy fcfs --out "$TMP/l256-fcfs" || fail "lublin fcfs"
check_run "$TMP/l256-fcfs" fcfs 256
grep -q '^trace_hash,fnv1a64:' "$TMP/l256-fcfs/summary.csv" || fail "no trace hash"
[ "$(grep -c ',completed,' "$TMP/l256-fcfs/jobs.csv")" -eq 10000 ] || fail "lublin jobs"
awk -v max="$EASY_JOBS" '/^;/ || ++n <= max' "$L256" > "$TMP/lpart.swf"
for i in 1 2; do
    "$SCHEDSIM" run --quiet --graph "$TMP/g256.json" --trace "$TMP/lpart.swf" \
        --swf-unit node --queue-policy easy --out "$TMP/lpart-easy-$i" || fail "lublin easy"
done
check_run "$TMP/lpart-easy-1" easy 256
cmp <(det "$TMP/lpart-easy-1") <(det "$TMP/lpart-easy-2") || fail "easy not deterministic"
grep -q ',completed,[0-9]' "$TMP/lpart-easy-1/jobs.csv" || fail "easy made no reservation"
# hybrid and conservative re-plan every reservation each pass, so a job may start
# after its first reservation there: only the general invariants apply.
awk -v max="$DEEP_JOBS" '/^;/ || ++n <= max' "$L256" > "$TMP/ldeep.swf"
for pol in hybrid conservative; do
    "$SCHEDSIM" run --quiet --graph "$TMP/g256.json" --trace "$TMP/ldeep.swf" \
        --swf-unit node --queue-policy $pol --out "$TMP/ldeep-$pol" || fail "lublin $pol"
    check_run "$TMP/ldeep-$pol" $pol 256
done

# 3. KTH-SP2 on 100 cores (cores anywhere, requested time as the estimate), fcfs:
# the published mean wait of other simulators is about 353,950 s.
"$SCHEDSIM" graph gen -n 100 -s 1 -c 1 -o "$TMP/g100.json"
"$SCHEDSIM" run --quiet --graph "$TMP/g100.json" \
    --trace "$SHARED/traces/KTH-SP2-1996-2.1-cln.swf" --queue-policy fcfs \
    --out "$TMP/kth-fcfs" || fail "kth fcfs"
check_run "$TMP/kth-fcfs" fcfs 100
grep -q '^wait_mean_s,3539' "$TMP/kth-fcfs/summary.csv" || fail "kth fcfs mean wait"

# 3b. --replan on-change keeps reservations between passes that follow no
# completion: still a valid easy schedule (same checks), with fewer match calls
# than the default, which re-plans every pass as qmanager does.
head -n $((EASY_JOBS + 40)) "$SHARED/traces/KTH-SP2-1996-2.1-cln.swf" > "$TMP/kth-part.swf"
for m in always on-change; do
    "$SCHEDSIM" run --quiet --graph "$TMP/g100.json" --trace "$TMP/kth-part.swf" \
        --queue-policy easy --replan $m --out "$TMP/kth-$m" || fail "kth easy $m"
    check_run "$TMP/kth-$m" easy 100
done
calls() { python3 -c "import csv,sys; print(sum(int(r['match_calls']) for r in csv.DictReader(open(sys.argv[1]))))" "$1"; }
[ "$(calls "$TMP/kth-on-change/jobs.csv")" -lt "$(calls "$TMP/kth-always/jobs.csv")" ] ||
    fail "--replan on-change made no fewer match calls"
grep -q 'replan=on-change' "$TMP/kth-on-change/summary.csv" || fail "replan not reported"
"$SCHEDSIM" run --replan sometimes 2> /dev/null && fail "bad --replan accepted"

# 4. compare
"$SCHEDSIM" compare --out "$TMP/cmp.csv" "$TMP/l256-fcfs" "$TMP/lpart-easy-1" \
    > "$TMP/cmp.txt" || fail "compare"
grep -q "^wait_mean_s," "$TMP/cmp.csv" || fail "compare csv"
grep -q "^queue_policy .*fcfs .*easy" "$TMP/cmp.txt" || fail "compare table"

# 5. figures: scripts always, SVG when gnuplot is installed
"$SCHEDSIM" plot --out "$TMP" "$TMP/out" "$TMP/kth-fcfs" > "$TMP/plot.txt" || fail "plot"
for f in out/utilisation.gp out/gantt.gp out/gantt.dat out/wait_cdf.dat \
         kth-fcfs/utilisation.gp wait_cdf.gp; do
    [ -s "$TMP/$f" ] || fail "plot did not write $f"
done
[ ! -e "$TMP/kth-fcfs/gantt.gp" ] || fail "gantt drawn for a run too big to read"
if command -v gnuplot > /dev/null; then
    [ -s "$TMP/out/gantt.svg" ] && [ -s "$TMP/wait_cdf.svg" ] || fail "no svg"
else
    grep -q "gnuplot not found" "$TMP/plot.txt" || fail "plot without gnuplot"
fi

# 6. bad input and bad options
set +e
"$SCHEDSIM" run --graph /nonexistent.json --out "$TMP/x" 2> "$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "^schedsim: /nonexistent.json" "$TMP/err" || fail "missing graph: $rc"
printf '1 0 0 10 1 -1 -1 1 10 -1 1 1 1 1 1 1 -1 -1\n2 x\n' > "$TMP/bad.swf"
"$SCHEDSIM" run --quiet --trace "$TMP/bad.swf" --out "$TMP/x" 2> "$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "bad.swf:2:" "$TMP/err" || fail "bad trace: $rc $(cat "$TMP/err")"
"$SCHEDSIM" run --queue-policy lifo 2> /dev/null; [ $? -eq 2 ] || fail "bad policy"
"$SCHEDSIM" run --queue-depth 0 2> /dev/null; [ $? -eq 2 ] || fail "bad depth"
"$SCHEDSIM" run --queue-policy easy --reservation-depth 5 2> /dev/null
[ $? -eq 2 ] || fail "easy with a reservation depth"
printf '10 sideways node1\n' > "$TMP/ev.txt"
"$SCHEDSIM" run --quiet --resource-events "$TMP/ev.txt" --out "$TMP/x" 2> "$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "ev.txt:1:4: expected 'down' or 'up'" "$TMP/err" || fail "bad events"
set -e
echo "e2e run: all checks passed"
