#!/usr/bin/env python3
"""Run Fluxion's conformance pack against 'schedsim query'.

Usage: run.py [--pack DIR] [--bin SCHEDSIM] [--only REGEX] [--format FMT]
              [--diff] [--jobs N] [--all-formats]

For every row of DIR/cases.tsv (see DIR/README.md): in an empty temporary
directory run the row's setup, substitute @TEST_SRCDIR@ in its command file,
run 'SCHEDSIM query -L data/GRAPH -f FORMAT OPTIONS -t out < COMMANDS', take
the compared text (the -t file, stdout, stderr, or the -t file followed by
stderr), pass it through the row's postprocess pipeline, and compare it byte
for byte with the expected file.

Rows that need a running Flux instance are skipped, and so are rows whose
graph is not JGF (their readers are a later issue) unless --all-formats is
given.  Prints 'N passed, M failed, K skipped' per load format and in total,
and the failing ids.  Exit status: 1 if any row of a --gate format (default
jgf) failed, else 0.
"""
import argparse
import concurrent.futures
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile

TIMEOUT_S = 120


def read_cases(pack):
    rows = []
    with open(os.path.join(pack, "cases.tsv"), encoding="utf-8") as fp:
        header = fp.readline().rstrip("\n").split("\t")
        for line in fp:
            if not line.strip():
                continue
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def substitute(text, data):
    text = text.replace("@TEST_SRCDIR@/data/resource", data)
    return text.replace("@TEST_SRCDIR@", os.path.dirname(data))


def run_case(row, pack, schedsim):
    """Returns (status, detail): status is 'pass', 'fail'."""
    data = os.path.join(os.path.abspath(pack), "data")
    with tempfile.TemporaryDirectory(prefix="conf-") as tmp:
        env = dict(os.environ, QUERY=schedsim + " query", DATA=data)
        if row["setup"] != "-":
            r = subprocess.run(["bash", "-c", row["setup"]], cwd=tmp, env=env,
                               capture_output=True, timeout=TIMEOUT_S)
            if r.returncode != 0:
                return "fail", "setup failed: " + r.stderr.decode(errors="replace")
        with open(os.path.join(data, row["commands"]), encoding="utf-8") as fp:
            cmds = substitute(fp.read(), data)
        cmdfile = os.path.join(tmp, "commands.in")
        with open(cmdfile, "w", encoding="utf-8") as fp:
            fp.write(cmds)
        argv = [schedsim, "query", "-L", os.path.join(data, row["graph"]),
                "-f", row["load_format"]] + shlex.split(row["options"]) + ["-t", "out"]
        try:
            with open(cmdfile, "rb") as stdin:
                r = subprocess.run(argv, cwd=tmp, stdin=stdin, capture_output=True,
                                   timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return "fail", "timed out"
        tfile = b""
        if os.path.exists(os.path.join(tmp, "out")):
            with open(os.path.join(tmp, "out"), "rb") as fp:
                tfile = fp.read()
        got = {"tfile": tfile, "tfile+stderr": tfile + r.stderr, "stdout": r.stdout,
               "stderr": r.stderr}[row["compare"]]
        if row["postprocess"] != "-":
            p = subprocess.run(["bash", "-c", row["postprocess"]], cwd=tmp, input=got,
                               capture_output=True, timeout=TIMEOUT_S)
            got = p.stdout
        with open(os.path.join(data, row["expected_out"]), "rb") as fp:
            want = fp.read()
        if b"Sanitizer" in r.stderr or r.returncode < 0:
            return "fail", "crash or sanitizer report (exit status %d):\n%s" % (
                r.returncode, r.stderr.decode(errors="replace")[-2000:])
        if got == want:
            return "pass", ""
        diff = difflib.unified_diff(want.decode(errors="replace").splitlines(True),
                                    got.decode(errors="replace").splitlines(True),
                                    "expected", "got", n=1)
        detail = "".join(list(diff)[:40])
        if r.returncode < 0 or r.returncode > 3:
            detail = "exit status %d\n%s" % (r.returncode, detail)
        return "fail", detail


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pack", default=os.path.join(here, "..", "..", "..", "shared",
                                                   "conformance"))
    ap.add_argument("--bin", default=os.environ.get("SCHEDSIM", "schedsim"))
    ap.add_argument("--only", help="run only ids matching this regular expression")
    ap.add_argument("--format", help="run only this load format")
    ap.add_argument("--diff", action="store_true", help="show a diff per failure")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--all-formats", action="store_true",
                    help="also run grug, hwloc and rv1exec rows")
    ap.add_argument("--gate", default="jgf",
                    help="comma-separated load formats whose failures fail the run")
    args = ap.parse_args()
    pack = os.path.abspath(args.pack)
    schedsim = os.path.abspath(args.bin) if os.sep in args.bin else args.bin

    rows = read_cases(pack)
    stats = {}
    failed = []
    todo = []
    for row in rows:
        fmt = row["load_format"]
        st = stats.setdefault(fmt, {"pass": 0, "fail": 0, "skip": 0})
        if args.only and not re.search(args.only, row["id"]):
            continue
        if args.format and fmt != args.format:
            continue
        if row["needs_flux"] == "yes" or (fmt != "jgf" and not args.all_formats):
            st["skip"] += 1
            continue
        todo.append(row)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda r: (r, run_case(r, pack, schedsim)), todo))
    for row, (status, detail) in results:
        stats[row["load_format"]][status] += 1
        if status == "fail":
            failed.append(row)
            if args.diff:
                print("---- %s (%s)\n%s" % (row["id"], row["notes"].split("|")[-1].strip(),
                                           detail))
    total = {"pass": 0, "fail": 0, "skip": 0}
    for fmt in sorted(stats):
        st = stats[fmt]
        for k in total:
            total[k] += st[k]
        print("%-8s %d passed, %d failed, %d skipped" % (fmt + ":", st["pass"], st["fail"],
                                                         st["skip"]))
    print("total:   %d passed, %d failed, %d skipped" % (total["pass"], total["fail"],
                                                         total["skip"]))
    if failed:
        print("failing: " + " ".join(r["id"] for r in failed))
    gate = args.gate.split(",")
    return 1 if any(r["load_format"] in gate for r in failed) else 0


if __name__ == "__main__":
    sys.exit(main())
