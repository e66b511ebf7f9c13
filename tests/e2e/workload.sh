#!/bin/bash
# workload.sh: end-to-end checks of 'schedsim workload convert|info|gen'.
# Environment (set by CTest): SCHEDSIM, SRCDIR, SHARED.
set -u
: "${SCHEDSIM:?}" "${SRCDIR:?}" "${SHARED:?}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# run WANT_RC CMD...: run, keep stdout/stderr in $tmp/out, $tmp/err
run() {
    local want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "'$*' exited $rc, wanted $want: $(head -3 "$tmp/err")"
}
has() { grep -qxF -- "$2" "$1" || fail "$1 lacks line '$2'"; }
has_text() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2': $(head -3 "$1")"; }

KTH=$SHARED/traces/KTH-SP2-1996-2.1-cln.swf
NASA=$SHARED/traces/NASA-iPSC-1993-3.1-cln.swf
LUB=$SHARED/traces/lublin_256.swf
W="$SCHEDSIM workload"

# --- info on the three real logs
run 0 $W info "$KTH"
has "$tmp/out" "jobs: 28476"
has "$tmp/out" "unmappable (no size): 1"
has "$tmp/out" "cores: 100 (MaxProcs)"
has "$tmp/out" "offered_load: 0.6971"
has "$tmp/out" "first_submit_epoch: $((843480031 + 599850))"
run 0 $W info "$NASA"
has "$tmp/out" "jobs: 18239"
has "$tmp/out" "unmappable: 0"
run 0 $W info "$LUB" --cores 256
has "$tmp/out" "jobs: 10000"
has "$tmp/out" "offered_load: 1.0608"

# --- convert SWF -> JSON lines -> SWF keeps the jobs
run 0 $W convert "$KTH" -o "$tmp/kth.jsonl"
[ "$(wc -l <"$tmp/kth.jsonl")" -eq 28477 ] || fail "kth.jsonl: expected 28477 lines"
has_text "$tmp/kth.jsonl" '{"id":27313,"submit":27245525,"runtime":1,"walltime":600,"user":48,"group":225,"status":1,"unmappable":"no size"}'
run 0 $W info "$tmp/kth.jsonl"
has "$tmp/out" "jobs: 28476"
has "$tmp/out" "offered_load: 0.6971"
run 0 $W convert "$tmp/kth.jsonl" -o "$tmp/kth.swf"
run 0 $W info "$tmp/kth.swf"
has "$tmp/out" "jobs: 28476"
has "$tmp/out" "submit_offset_s: 599850"
# SWF -> SWF is exact on the fields (spacing aside)
run 0 $W convert "$KTH" -o "$tmp/kth2.swf"
diff <(grep -v '^;' "$KTH" | tr -s ' \t' ' ' | sed 's/^ //; s/ $//') \
    <(grep -v '^;' "$tmp/kth2.swf") >/dev/null || fail "SWF -> SWF changed job lines"
# by nodes: 25 processors on 4-core nodes are 7 slots of one exclusive node,
# with "procs" kept beside the jobspec (it names no cores), and back to SWF
run 0 $W convert "$KTH" --swf-unit node --cores-per-node 4 -o "$tmp/kth4.jsonl"
has_text "$tmp/kth4.jsonl" '{"id":16,"submit":172,"runtime":2488,"walltime":3600,"procs":25,'
has_text "$tmp/kth4.jsonl" '"resources":[{"count":7,"label":"task","type":"slot","with":[{"count":1,"exclusive":true,"type":"node"}]}]'
run 0 $W convert "$tmp/kth4.jsonl" -o "$tmp/kth4.swf"
diff <(grep -v '^;' "$KTH" | awk '{print $1, $4, $8, $9}') \
    <(grep -v '^;' "$tmp/kth4.swf" | awk '{print $1, $4, $8, $9}') >/dev/null ||
    fail "SWF -> JSON lines (by nodes) -> SWF changed sizes or times"
# to standard output, format named
run 0 $W convert "$NASA" -o - --format jsonl
[ "$(wc -l <"$tmp/out")" -eq 18240 ] || fail "convert to stdout: wrong line count"

# --- gen: reproducible, scaled, either format
for model in lublin lublin-all poisson; do
    run 0 $W gen --model $model --jobs 2000 --seed 9 --nodes 64 --cores-per-node 8 \
        --load 0.75 -o "$tmp/a.swf"
    run 0 $W gen --model $model --jobs 2000 --seed 9 --nodes 64 --cores-per-node 8 \
        --load 0.75 -o "$tmp/b.swf"
    cmp -s "$tmp/a.swf" "$tmp/b.swf" || fail "$model: same seed, different output"
    run 0 $W info "$tmp/a.swf"
    has "$tmp/out" "jobs: 2000"
    has "$tmp/out" "cores: 512 (MaxProcs)"
    grep -Eq '^offered_load: 0\.7(49|50)' "$tmp/out" || fail "$model: $(grep load "$tmp/out")"
    run 0 $W gen --model $model --jobs 2000 --seed 9 --nodes 64 --cores-per-node 8 \
        --load 0.75 -o "$tmp/a.jsonl"
    run 0 $W info "$tmp/a.jsonl"
    has "$tmp/out" "jobs: 2000"
    run 0 $W gen --model $model --jobs 2000 --seed 10 --nodes 64 --cores-per-node 8 \
        --load 0.75 -o "$tmp/c.swf"
    cmp -s "$tmp/a.swf" "$tmp/c.swf" && fail "$model: another seed, same output"
done

# --- bad input: exit 1, positioned error, the old output left alone
echo keep >"$tmp/keep.jsonl"
bad=$SRCDIR/tests/data/swf/invalid/bad_integer/input.swf
run 1 $W convert "$bad" -o "$tmp/keep.jsonl"
has_text "$tmp/err" "$bad:2:11: field 5 (allocated processors): expected integer, got \"x\""
[ "$(cat "$tmp/keep.jsonl")" = keep ] || fail "failed convert touched its output"
run 1 $W info "$SRCDIR/tests/data/jtrace/invalid/unknown_key/input.jsonl"
has_text "$tmp/err" "input.jsonl:1:24: unknown key \"runtme\""
run 1 $W info "$tmp/missing.swf"
run 1 $W convert "$KTH" -o "$tmp/no/such/dir/out.jsonl"
ls "$tmp"/*.tmp.* >/dev/null 2>&1 && fail "temporary files left behind"

# --- usage errors: exit 2
run 2 $W
run 2 $W frobnicate
run 2 $W info
run 2 $W info "$KTH" "$KTH"
run 2 $W info "$KTH" --seed 3
run 2 $W info "$KTH" --swf-unit socket
run 2 $W convert "$KTH"
run 2 $W convert "$KTH" -o "$tmp/out.txt"
run 2 $W convert "$KTH" -o "$tmp/x.swf" --format xml
run 2 $W convert "$KTH" -o "$tmp/x.swf" --bogus
run 2 $W gen --model nope -o "$tmp/g.swf"
run 2 $W gen --jobs 0 -o "$tmp/g.swf"
run 2 $W gen --load -1 -o "$tmp/g.swf"
run 2 $W gen --jobs 10
run 0 $W --help
has_text "$tmp/out" "schedsim workload convert"
run 0 $W gen --help
run 0 $SCHEDSIM help workload

[ "$fails" -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "workload e2e: ok"
