#!/usr/bin/env bash
# graph.sh: 'schedsim graph gen|info|convert' end to end: generate, inspect,
# convert (load + write) and compare; every bad JGF of tests/data/jgf/invalid
# exits 1 with its positioned message; bad command lines exit 2.
# Environment (set by CTest): SCHEDSIM, SRCDIR, SHARED.
set -euo pipefail
: "${SCHEDSIM:?}" "${SRCDIR:?}" "${SHARED:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# gen -> info
"$SCHEDSIM" graph gen --nodes 4 --racks 2 --sockets 2 --cores 8 --gpus 1 --memory 2048 \
    --prefix host --cluster lab --property ssd@0-1 --property zone=a@3 -o "$tmp/g.json"
"$SCHEDSIM" graph info "$tmp/g.json" > "$tmp/info"
cat > "$tmp/want" <<'EOF'
vertices: 95
edges: 94
depth: 4
subsystem containment: 95 vertices, 94 edges, root /lab0
type cluster: 1
type core: 64
type gpu: 8
type memory: 8
type node: 4
type rack: 2
type socket: 8
EOF
diff -u "$tmp/want" "$tmp/info" || fail "graph info output"

# stdout and -o give the same bytes; output is deterministic
"$SCHEDSIM" graph gen --nodes 4 --racks 2 --sockets 2 --cores 8 --gpus 1 --memory 2048 \
    --prefix host --cluster lab --property ssd@0-1 --property zone=a@3 > "$tmp/g2.json"
cmp "$tmp/g.json" "$tmp/g2.json" || fail "gen to stdout differs from gen -o"
grep -q '"properties": {"ssd": ""}' "$tmp/g.json" || fail "property missing"

# convert (load + write) is a fixed point, for generated and shared graphs
"$SCHEDSIM" graph convert "$tmp/g.json" -o "$tmp/c.json"
cmp "$tmp/g.json" "$tmp/c.json" || fail "convert of a generated graph changed it"
for f in "$SHARED"/conformance/data/jgfs/*.json "$SHARED"/conformance/data/jgfs/elastic/*.json; do
    grep -q '"scheduling"' "$f" && continue # R objects, not bare JGF
    "$SCHEDSIM" graph convert "$f" -o "$tmp/a.json" || fail "convert $f"
    "$SCHEDSIM" graph convert "$tmp/a.json" -o "$tmp/b.json" || fail "reconvert $f"
    cmp "$tmp/a.json" "$tmp/b.json" || fail "round trip of $f"
    "$SCHEDSIM" graph info "$f" > "$tmp/i1"
    "$SCHEDSIM" graph info "$tmp/a.json" > "$tmp/i2"
    diff -q "$tmp/i1" "$tmp/i2" > /dev/null || fail "info differs after round trip of $f"
done

# bad input: exit 1 and 'file:line:column: text' as recorded for each case
for d in "$SRCDIR"/tests/data/jgf/invalid/*/; do
    set +e
    msg=$("$SCHEDSIM" graph info "$d/input.json" 2>&1 > /dev/null)
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || fail "$d: exit $rc, want 1"
    read -r line col < "$d/error"
    text=$(sed -n 2p "$d/error")
    want="schedsim: $d/input.json:$line:$col: $text"
    [ "$msg" = "$want" ] || fail "$d: got '$msg', want '$want'"
done

# bad command lines: exit 2
expect2() {
    set +e
    "$SCHEDSIM" graph "$@" > /dev/null 2>&1
    local rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "graph $*: exit $rc, want 2"
}
expect2
expect2 frobnicate
expect2 gen --nodes 0
expect2 gen --nodes x
expect2 gen --racks 5 --nodes 2
expect2 gen --property nope
expect2 gen --property ssd@7 --nodes 2
expect2 gen extra
expect2 info
expect2 info a b
expect2 convert --bogus x
"$SCHEDSIM" graph --help | grep 'Subcommands' >/dev/null || fail "graph --help"
"$SCHEDSIM" graph gen --help | grep -- '--nodes' >/dev/null || fail "graph gen --help"
"$SCHEDSIM" help graph > /dev/null || fail "help graph"
set +e
"$SCHEDSIM" graph info /nonexistent/file.json 2> /dev/null
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "missing file: exit $rc, want 1"
echo "graph.sh: ok"
