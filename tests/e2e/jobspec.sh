#!/bin/bash
# jobspec.sh: 'schedsim jobspec check|show' over Fluxion's jobspec validation
# corpus (t3000-jobspec.t) and our own bad inputs, through the CLI.
# Env: SCHEDSIM (binary), SRCDIR, SHARED.
set -u
corpus="$SHARED/conformance/data/jobspecs/validation"
ours="$SRCDIR/tests/data/jobspec"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# every valid file accepted, in one run, and printed as ok
"$SCHEDSIM" jobspec check "$corpus"/valid/*.yaml "$ours"/valid/* >"$tmp/out" 2>"$tmp/err" ||
    fail "valid corpus rejected: $(cat "$tmp/err")"
nvalid=$(ls "$corpus"/valid/*.yaml "$ours"/valid/* | wc -l)
[ "$(grep -c ': ok$' "$tmp/out")" -eq "$nvalid" ] || fail "expected $nvalid ok lines"
[ -s "$tmp/err" ] && fail "stderr not empty for valid files"

# every invalid file rejected, alone, with exit 1 and "file:line:col: text"
for f in "$corpus"/invalid/*.yaml "$ours"/invalid/*/input.*; do
    "$SCHEDSIM" jobspec check --quiet "$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$f: exit $rc, expected 1"
    grep -qE "^$(printf '%s' "$f" | sed 's/[][\.*^$]/\\&/g'):[0-9]+:[0-9]+: .+" "$tmp/err" ||
        fail "$f: no positioned error: $(cat "$tmp/err")"
    [ -s "$tmp/out" ] && fail "$f: stdout not empty"
done

# a mix: exit 1, the valid one still reported ok
"$SCHEDSIM" jobspec check "$corpus/valid/basic.yaml" "$corpus/invalid/missing_tasks.yaml" \
    >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "mixed files: expected exit 1"
grep -q 'basic.yaml: ok' "$tmp/out" || fail "mixed files: no ok line"

# standard input, --quiet, show
"$SCHEDSIM" jobspec check -q - <"$corpus/valid/example1.yaml" >"$tmp/out" ||
    fail "stdin rejected"
[ -s "$tmp/out" ] && fail "--quiet printed something"
"$SCHEDSIM" jobspec show "$ours/valid/canonical.yaml" >"$tmp/y" || fail "show yaml"
"$SCHEDSIM" jobspec show "$ours/valid/canonical.json" >"$tmp/j" || fail "show json"
cmp -s "$tmp/y" "$tmp/j" || fail "show: yaml and json trees differ"
grep -q 'operator: \*' "$tmp/y" || fail "show: count not printed in full"

# --fluxion: Fluxion's acceptance and wording
"$SCHEDSIM" jobspec check -q --fluxion "$ours/invalid/count_zero/input.yaml" ||
    fail "--fluxion: a plain count of 0 should pass, as in Fluxion"
"$SCHEDSIM" jobspec check --fluxion "$corpus/invalid/resource_missing_count.yaml" 2>"$tmp/err"
grep -q ': Key "count" missing from resource$' "$tmp/err" || fail "--fluxion: message"

# usage errors exit 2, help exits 0
for args in "" "frob" "check" "show" "show a b" "check --bogus x"; do
    # shellcheck disable=SC2086
    "$SCHEDSIM" jobspec $args >/dev/null 2>&1
    rc=$?
    [ $rc -eq 2 ] || fail "'jobspec $args': exit $rc, expected 2"
done
"$SCHEDSIM" jobspec --help | grep 'Usage: schedsim jobspec' >/dev/null || fail "--help"
"$SCHEDSIM" help jobspec >/dev/null || fail "help jobspec"
"$SCHEDSIM" jobspec check /nonexistent.yaml 2>"$tmp/err"
[ $? -eq 1 ] || fail "missing file: expected exit 1"

if [ $fails -ne 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "jobspec e2e: ok"
