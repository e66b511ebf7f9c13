#!/usr/bin/env bash
# ab.sh: A/B check of the simulator's results (development tool, not run by CI).
#
#   scripts/ab.sh run BIN DIR      run a fixed set of simulations with schedsim binary BIN
#                                  (real logs from ../shared/traces; every queue policy,
#                                  several match policies, core and whole-node mappings)
#                                  and keep their reports under DIR/<case>/
#   scripts/ab.sh compare DIR1 DIR2
#                                  compare two such sets, case by case as 'same' does;
#                                  prints SAME or DIFF per case, exits 1 on any difference
#   scripts/ab.sh same RUN1 RUN2   compare two 'schedsim run' output directories: jobs.csv
#                                  without the columns that count or time match calls
#                                  (match_calls, match_us), allocations.jsonl and
#                                  utilisation.csv, byte for byte; prints "differ: FILE"
#                                  for each that differs, exits 1 if any does
#
# An optimisation that must change no result is checked by running the set with the
# binary before and after it and comparing.  SHARED (default: ../shared beside the
# project) locates the traces.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$here/../shared}

strip_jobs() {
    python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
keep = [i for i, c in enumerate(rows[0]) if c not in ("match_calls", "match_us")]
try:
    for r in rows:
        print(",".join(r[i] for i in keep))
    sys.stdout.flush()
except BrokenPipeError:  # cmp stops reading at the first difference
    sys.stderr.close()
' "$1"
}

run_set() {
    local S=$1 T=$2
    mkdir -p "$T" || exit 1
    local K=$SHARED/traces/KTH-SP2-1996-2.1-cln.swf L=$SHARED/traces/lublin_256.swf
    local N=$SHARED/traces/NASA-iPSC-1993-3.1-cln.swf
    "$S" graph gen -n 100 -s 1 -c 1 -o "$T/g100.json" &&
        "$S" graph gen -n 256 -s 2 -c 4 -o "$T/g256.json" &&
        "$S" graph gen -n 128 -s 1 -c 1 -o "$T/g128.json" || exit 1
    awk '/^;/ { print; next } ++n <= 3000' "$K" > "$T/kth3k.swf"
    awk '/^;/ { print; next } ++n <= 3000' "$L" > "$T/lub3k.swf"
    one() {
        local name=$1
        shift
        "$S" run --quiet --out "$T/$name" "$@" || echo "$name: FAILED"
    }
    one kth-easy --graph "$T/g100.json" --trace "$K" --queue-policy easy
    one kth-fcfs --graph "$T/g100.json" --trace "$K" --queue-policy fcfs
    one kth-cons --graph "$T/g100.json" --trace "$T/kth3k.swf" --queue-policy conservative
    one kth-hybrid-low --graph "$T/g100.json" --trace "$T/kth3k.swf" --queue-policy hybrid \
        --reservation-depth 4 --match-policy low
    one lub-node-easy --graph "$T/g256.json" --trace "$L" --queue-policy easy --swf-unit node \
        --cores-per-node 8
    one lub-node-hinode --graph "$T/g256.json" --trace "$T/lub3k.swf" --queue-policy easy \
        --swf-unit node --cores-per-node 8 --match-policy hinode
    one lub-core-lonode --graph "$T/g256.json" --trace "$T/lub3k.swf" --queue-policy easy \
        --match-policy lonode
    one nasa-easy --graph "$T/g128.json" --trace "$N" --queue-policy easy
    one kth-easy-onchange --graph "$T/g100.json" --trace "$K" --queue-policy easy \
        --replan on-change
    one default
}

same_runs() {
    local a=$1 b=$2 rc=0
    [[ -f $a/jobs.csv && -f $b/jobs.csv ]] || { echo "differ: jobs.csv (missing)"; return 1; }
    cmp -s <(strip_jobs "$a/jobs.csv") <(strip_jobs "$b/jobs.csv") ||
        { echo "differ: jobs.csv"; rc=1; }
    for f in allocations.jsonl utilisation.csv; do
        cmp -s "$a/$f" "$b/$f" || { echo "differ: $f"; rc=1; }
    done
    return $rc
}

compare_sets() {
    local A=$1 B=$2 bad=0
    for d in "$A"/*/; do
        local n
        n=$(basename "$d")
        [[ -f $d/jobs.csv ]] || continue
        if same_runs "$d" "$B/$n" > /dev/null; then
            echo "$n: SAME"
        else
            echo "$n: DIFF"
            bad=1
        fi
    done
    return $bad
}

case ${1:-} in
run) [[ $# == 3 ]] || { echo "usage: $0 run BIN DIR" >&2; exit 2; }; run_set "$2" "$3" ;;
compare) [[ $# == 3 ]] || { echo "usage: $0 compare DIR1 DIR2" >&2; exit 2; }; compare_sets "$2" "$3" ;;
same) [[ $# == 3 ]] || { echo "usage: $0 same RUN1 RUN2" >&2; exit 2; }; same_runs "$2" "$3" ;;
*) sed -n '2,21p' "$0" >&2; exit 2 ;;
esac
