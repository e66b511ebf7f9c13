#!/usr/bin/env bash
# difftest_selfcheck.sh: scripts/difftest.py checked without Fluxion: the
# generator is deterministic (same seed -> the same case files, whatever the
# case range; another seed -> other cases), schedsim compared with itself
# reports 0 differences, bad options exit 2. When Fluxion's resource-query is
# installed (DIFFTEST_FLUXION, default /opt/fluxion/bin/resource-query) the
# tool is also run against it on a few cases: that checks the tool runs and
# writes its summary, not that the engine agrees (differences are the tool's
# findings, not a test failure). Without Fluxion that part is skipped.
# Environment (set by CTest): SCHEDSIM, SRCDIR.
set -euo pipefail
: "${SCHEDSIM:?}" "${SRCDIR:?}"
tool="$SRCDIR/scripts/difftest.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
dt() { python3 "$tool" --schedsim "$SCHEDSIM" "$@"; }

# Determinism: the same seed writes the same files; a case does not depend
# on which other cases are generated.
dt --seed 11 --cases 12 --gen-only "$tmp/a" > /dev/null
dt --seed 11 --cases 12 --gen-only "$tmp/b" > /dev/null
diff -r "$tmp/a" "$tmp/b" > /dev/null || fail "same seed, different cases"
dt --seed 11 --only 3,7 --gen-only "$tmp/c" > /dev/null
diff -r "$tmp/a/c00003" "$tmp/c/c00003" > /dev/null || fail "case 3 depends on the range"
diff -r "$tmp/a/c00007" "$tmp/c/c00007" > /dev/null || fail "case 7 depends on the range"
dt --seed 12 --cases 12 --gen-only "$tmp/d" > /dev/null
if diff -r "$tmp/a" "$tmp/d" > /dev/null; then fail "seeds 11 and 12 gave the same cases"; fi

# Every generated case is complete: graph, used jobspecs, commands, options.
for d in "$tmp/a"/c*; do
    for f in graph.json cmds opts case.json; do
        [ -s "$d/$f" ] || fail "$d/$f missing"
    done
    for j in $(grep -o 'job[0-9]*\.yaml' "$d/cmds" | sort -u); do
        [ -s "$d/$j" ] || fail "$d/$j missing"
    done
    for r in $(grep -o 'pr[0-9]*\.json' "$d/cmds" | sort -u); do
        [ -s "$d/$r" ] || fail "$d/$r missing"
    done
    tail -n 1 "$d/cmds" | grep -x quit >/dev/null || fail "$d/cmds does not end with quit"
done
# The generated graphs load (schedsim reads them back).
"$SCHEDSIM" graph info "$tmp/a/c00000/graph.json" > /dev/null || fail "graph does not load"

# schedsim against itself: no difference on any axis.
out="$tmp/self"
dt --self --seed 5 --cases 40 --jobs 2 --stderr --out "$out" > "$tmp/self.log" \
    || { cat "$tmp/self.log" >&2; fail "schedsim differs from itself"; }
grep -q '^40 cases, 40 same, 0 differ' "$tmp/self.log" || fail "self summary: $(head -n 1 "$tmp/self.log")"
[ -s "$out/summary.txt" ] || fail "no summary.txt"
grep -q '^by writer' "$out/summary.txt" || fail "summary has no per-writer table"

# Bad usage exits 2.
set +e
python3 "$tool" --schedsim "$tmp/no-such-binary" --self --cases 1 --out "$tmp/x" 2> /dev/null
rc=$?
python3 "$tool" --no-such-option 2> /dev/null
rc2=$?
set -e
[ "$rc" -eq 2 ] || fail "missing schedsim: exit $rc, want 2"
[ "$rc2" -eq 2 ] || fail "bad option: exit $rc2, want 2"

# With Fluxion: the tool runs end to end against it (findings are not failures).
rq="${DIFFTEST_FLUXION:-/opt/fluxion/bin/resource-query}"
if [ -x "$rq" ]; then
    set +e
    dt --fluxion "$rq" --seed 3 --cases 10 --jobs 2 --out "$tmp/flux" > "$tmp/flux.log"
    rc=$?
    set -e
    [ "$rc" -le 1 ] || { cat "$tmp/flux.log" >&2; fail "against Fluxion: exit $rc"; }
    grep -q '^10 cases, ' "$tmp/flux.log" || fail "against Fluxion: no summary"
    echo "against Fluxion: $(grep '^10 cases' "$tmp/flux.log")"
else
    echo "SKIP: no Fluxion resource-query at $rq (the Fluxion part is skipped)"
fi
echo "difftest self-check: ok"
