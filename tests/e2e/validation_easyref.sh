#!/usr/bin/env bash
# validation_easyref.sh: schedsim's fcfs and easy against scripts/easyref.py, an
# independent count-and-cores reference (README, "Validation"), on the first
# 3,000 jobs of KTH-SP2 on 100 one-core nodes, job by job:
#   1. fcfs: start and end of every job equal the reference's;
#   2. easy (queue depth 32, and unlimited): start, end and nodes equal the
#      reference with reservations pinned to cores as Fluxion's 'first' policy
#      picks them (--reserve pinned);
#   3. the comparison can fail: classic count-based EASY at depth 32 differs;
#   4. the reference's classic EASY (count-based, whole queue) on the whole log
#      gives the published peers' figures (~6,840 s, ~92).
# Env (from ctest): SCHEDSIM, SRCDIR, SHARED.
set -uo pipefail
: "${SCHEDSIM:?}" "${SRCDIR:?}" "${SHARED:?}"

py=""
for cand in /usr/bin/python3 python3; do
    if command -v "$cand" > /dev/null; then
        py=$(command -v "$cand")
        break
    fi
done
[[ -n $py ]] || { echo "validation_easyref.sh: no python3 (scripts/install-deps.sh installs it)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
REF="$py $SRCDIR/scripts/easyref.py"
KTH=$SHARED/traces/KTH-SP2-1996-2.1-cln.swf
awk '/^;/ { print; next } ++n <= 3000' "$KTH" > "$TMP/kth3000.swf"
"$SCHEDSIM" graph gen -n 100 -s 1 -c 1 -o "$TMP/g100.json" || fail "graph gen"

# same A.csv B.csv COLUMNS...: every completed job of A has the same COLUMNS in
# B; prints the first differing job.  Exit 1 on any difference.
same() {
    "$py" - "$@" << 'EOF'
import csv, sys
a, b, cols = sys.argv[1], sys.argv[2], sys.argv[3:]
ra = {r["id"]: r for r in csv.DictReader(open(a))}
rb = {r["id"]: r for r in csv.DictReader(open(b))}
if ra.keys() != rb.keys():
    sys.exit(f"{a} and {b} list different jobs")
diff = [k for k, r in ra.items() if r["state"] != rb[k]["state"]
        or (r["state"] == "completed" and any(r[c] != rb[k][c] for c in cols))]
if diff:
    k = min(diff, key=lambda k: int(ra[k]["start"] or 0))
    print(f"{len(diff)} jobs differ; first: {k}:",
          {c: (ra[k][c], rb[k][c]) for c in ["state"] + cols})
    sys.exit(1)
EOF
}

# 1. fcfs
"$SCHEDSIM" run --quiet --graph "$TMP/g100.json" --trace "$TMP/kth3000.swf" \
    --queue-policy fcfs --out "$TMP/fcfs" || fail "schedsim fcfs"
$REF "$TMP/kth3000.swf" --policy fcfs --jobs-csv "$TMP/ref-fcfs.csv" > /dev/null ||
    fail "easyref fcfs"
same "$TMP/fcfs/jobs.csv" "$TMP/ref-fcfs.csv" start end || fail "fcfs differs"

# 2. easy, Fluxion's default queue depth (32) and the whole queue
"$SCHEDSIM" run --quiet --graph "$TMP/g100.json" --trace "$TMP/kth3000.swf" \
    --queue-policy easy --out "$TMP/easy" || fail "schedsim easy"
$REF "$TMP/kth3000.swf" --reserve pinned --queue-depth 32 \
    --jobs-csv "$TMP/ref-easy.csv" > /dev/null || fail "easyref easy"
same "$TMP/easy/jobs.csv" "$TMP/ref-easy.csv" start end nodelist || fail "easy differs"
"$SCHEDSIM" run --quiet --graph "$TMP/g100.json" --trace "$TMP/kth3000.swf" \
    --queue-policy easy --queue-depth 1000000 --out "$TMP/easy-all" ||
    fail "schedsim easy whole queue"
$REF "$TMP/kth3000.swf" --reserve pinned --jobs-csv "$TMP/ref-easy-all.csv" > /dev/null ||
    fail "easyref easy whole queue"
same "$TMP/easy-all/jobs.csv" "$TMP/ref-easy-all.csv" start end nodelist ||
    fail "easy (whole queue) differs"

# 3. the comparison notices a different convention
$REF "$TMP/kth3000.swf" --queue-depth 32 --jobs-csv "$TMP/ref-count.csv" > /dev/null ||
    fail "easyref count"
if same "$TMP/easy/jobs.csv" "$TMP/ref-count.csv" start > /dev/null; then
    fail "count-based EASY should differ from pinned reservations"
fi

# 4. classic EASY on the whole log, as CQSim and Alea report it
$REF "$KTH" > "$TMP/classic.txt" || fail "easyref classic"
awk '$1 == "wait_mean_s" { w = $2 } $1 == "bsld_mean" { b = $2 }
     END { exit !(w > 6800 && w < 6880 && b > 91 && b < 93) }' "$TMP/classic.txt" ||
    fail "classic EASY figures: $(tr '\n' ' ' < "$TMP/classic.txt")"

[[ $fails -eq 0 ]] || { echo "validation_easyref.sh: $fails failure(s)" >&2; exit 1; }
echo "validation_easyref.sh: ok"
