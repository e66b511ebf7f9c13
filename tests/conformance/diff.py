#!/usr/bin/env python3
"""Differential test: schedsim query against Fluxion's resource-query.

Usage: diff.py [--fluxion PATH] [--bin SCHEDSIM] [--trials N] [--seed S]
               [--keep DIR] [--formats a,b] [--policies a,b]

Each trial generates a JGF resource graph (clusters of racks of nodes of
sockets with cores, gpus and memory; random sizes and ranks), a stream of
jobspecs and commands (match allocate / allocate_orelse_reserve /
satisfiability / without_allocating, cancel, find), picks a match policy, a
writer and pruning filters, runs both programs on it and compares the -t
files and standard error byte for byte.  Every difference is reported with
the command line to reproduce it (files kept under --keep).  A development
tool, run on demand: the test suite and CI never need Fluxion.
Exit status: 0 when every trial agreed, 1 otherwise.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

POLICIES = ["first", "firstnodex", "high", "low", "lonode", "hinode", "lonodex", "hinodex",
            "locality"]
FORMATS = ["simple", "pretty_simple", "jgf", "jgf_shorthand", "rlite", "rv1", "rv1_nosched",
           "rv1_shorthand"]
PRUNE = [None, "ALL:core", "ALL:core,ALL:node", "ALL:core,ALL:gpu,ALL:memory",
         "ALL:core,ALL:gpu,ALL:socket,ALL:node,ALL:memory", "rack:node,node:core"]


def make_graph(rng, unranked):
    nodes, edges = [], []
    uid = [0]
    counters = {}

    def vertex(typ, parent_path, rank, size=1, basename=None):
        lid = counters.get(typ, 0)
        counters[typ] = lid + 1
        base = basename or typ
        name = base + str(lid)
        path = parent_path + "/" + name
        u = uid[0]
        uid[0] += 1
        nodes.append({"id": str(u), "metadata": {
            "type": typ, "basename": base, "name": name, "id": lid, "uniq_id": u,
            "rank": rank, "exclusive": False, "unit": "", "size": size,
            "paths": {"containment": path}}})
        return u, path

    def edge(src, dst):
        edges.append({"source": str(src), "target": str(dst),
                      "metadata": {"subsystem": "containment"}})

    ranked = rng.random() >= unranked
    root, rpath = vertex("cluster", "", -1, basename="cluster")
    nrank = 0
    for _ in range(rng.randint(1, 3)):
        rack, rkpath = vertex("rack", rpath, -1)
        edge(root, rack)
        for _ in range(rng.randint(1, 4)):
            rank = nrank if ranked else -1
            nrank += 1
            node, npath = vertex("node", rkpath, rank)
            edge(rack, node)
            for _ in range(rng.randint(1, 2)):
                sock, spath = vertex("socket", npath, rank)
                edge(node, sock)
                for _ in range(rng.randint(1, 6)):
                    c, _ = vertex("core", spath, rank)
                    edge(sock, c)
                for _ in range(rng.randint(0, 2)):
                    g, _ = vertex("gpu", spath, rank)
                    edge(sock, g)
                for _ in range(rng.randint(0, 2)):
                    m, _ = vertex("memory", spath, rank, size=rng.choice([2, 4, 8]))
                    edge(sock, m)
    return {"graph": {"nodes": nodes, "edges": edges}}


def make_jobspec(rng):
    cores = {"type": "core", "count": rng.randint(1, 4)}
    inner = [cores]
    if rng.random() < 0.3:
        inner.append({"type": "gpu", "count": 1})
    if rng.random() < 0.2:
        inner.append({"type": "memory", "count": rng.choice([2, 4])})
    slot = {"type": "slot", "count": rng.randint(1, 2), "label": "task", "with": inner}
    shape = rng.random()
    if shape < 0.4:
        res = [slot]
    elif shape < 0.8:
        node = {"type": "node", "count": rng.randint(1, 2), "with": [slot]}
        if rng.random() < 0.3:
            node["exclusive"] = True
        res = [node]
    else:
        res = [{"type": "socket", "count": 1, "with": [slot]}]
        slot["count"] = 1
    return {"version": 1, "resources": res,
            "tasks": [{"command": ["app"], "slot": "task", "count": {"per_slot": 1}}],
            "attributes": {"system": {"duration": rng.choice([100, 600, 3600])}}}


def make_commands(rng, jobspecs):
    ops = ["allocate"] * 4 + ["allocate_orelse_reserve"] * 4 + ["satisfiability",
                                                               "without_allocating",
                                                               "allocate_with_satisfiability"]
    lines, njobs = [], 0
    for _ in range(rng.randint(4, 14)):
        r = rng.random()
        if r < 0.75:
            lines.append("match %s %s" % (rng.choice(ops), rng.choice(jobspecs)))
            njobs += 1
        elif r < 0.9 and njobs:
            lines.append("cancel %d" % rng.randint(1, njobs))
        else:
            lines.append("find " + rng.choice(["sched-now=allocated", "sched-future=reserved",
                                               "status=up and sched-now=free"]))
    lines.append("quit")
    return "\n".join(lines) + "\n"


def run(argv, cmds, cwd):
    with open(cmds, "rb") as fp:
        r = subprocess.run(argv, cwd=cwd, stdin=fp, capture_output=True, timeout=300)
    out = os.path.join(cwd, "out")
    t = open(out, "rb").read() if os.path.exists(out) else b""
    if os.path.exists(out):
        os.unlink(out)
    return t, r.stderr


def trial(i, rng, args, work):
    d = os.path.join(work, "t%04d" % i)
    os.makedirs(d)
    with open(os.path.join(d, "graph.json"), "w") as fp:
        json.dump(make_graph(rng, args.unranked), fp)
    jobspecs = []
    for j in range(3):
        p = os.path.join(d, "job%d.json" % j)
        with open(p, "w") as fp:
            json.dump(make_jobspec(rng), fp)
        jobspecs.append(p)
    with open(os.path.join(d, "cmds"), "w") as fp:
        fp.write(make_commands(rng, jobspecs))
    pol, fmt, prune = rng.choice(args.policies), rng.choice(args.formats), rng.choice(PRUNE)
    opts = ["-L", "graph.json", "-f", "jgf", "-P", pol, "-F", fmt, "-t", "out"]
    if prune:
        opts += ["-p", prune]
    cmds = os.path.join(d, "cmds")
    want = run([args.fluxion] + opts, cmds, d)
    got = run([args.bin, "query"] + opts, cmds, d)
    if want == got:
        shutil.rmtree(d)
        return None
    what = "tfile" if want[0] != got[0] else "stderr"
    return "%s: %s differs (cd %s; %s query %s < cmds)" % (
        "t%04d" % i, what, d, args.bin, " ".join(opts))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fluxion", default="/opt/fluxion/bin/resource-query")
    ap.add_argument("--bin", default=os.environ.get("SCHEDSIM", "schedsim"))
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="directory for the failing trials (default: a temp dir)")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--unranked", type=float, default=0.15,
                    help="share of graphs whose vertices have no rank (rv1 fails there)")
    ap.add_argument("--policies", default=",".join(POLICIES))
    args = ap.parse_args()
    args.formats = args.formats.split(",")
    args.policies = args.policies.split(",")
    args.bin = os.path.abspath(args.bin) if os.sep in args.bin else args.bin
    if not os.path.exists(args.fluxion):
        print("no Fluxion resource-query at %s: skipped" % args.fluxion)
        return 0
    work = args.keep or tempfile.mkdtemp(prefix="schedsim-diff-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(args.seed)
    bad = [m for m in (trial(i, rng, args, work) for i in range(args.trials)) if m]
    for m in bad:
        print(m)
    print("%d trials, %d agreed, %d differ (seed %d)" % (args.trials, args.trials - len(bad),
                                                       len(bad), args.seed))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
