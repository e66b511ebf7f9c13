#!/usr/bin/env python3
"""Differential test of `schedsim query` against Fluxion's resource-query.

Each case is a random small resource graph (written by `schedsim graph gen`
as JGF: 1-16 nodes, optional racks, 1-2 sockets, cores, GPUs, memory, node
properties), a random stream of commands (match allocate /
allocate_orelse_reserve / allocate_with_satisfiability / satisfiability,
multi-match, cancel and partial-cancel (rv1exec) of earlier jobs, info,
find with status / sched-now / sched-future / jobid-* / names / property /
agfilter predicates, set-status of nodes, sockets, racks and the cluster,
set-property perf_class for the variation policy) over random version-1
jobspecs (node / socket / core / gpu / memory requests, slots at several
levels, or-slots and xor_slots, fixed and min/max/operator counts, exclusive
flags, durations, RFC 31 constraints) and a random point on the option axes:
match policy (-P, named and custom forms), writer (-F), pruning filters
(-p), traverser (-T) and subsystem (-S CA).

--subsystems SETS adds auxiliary subsystems (difftest_aux.py): each case's
graph gets a power and/or ibnet subsystem (pdus supplying nodes, switches
connected to nodes, power-capacity vertices, pdus or switches also in
containment), some jobspecs name those types, and the case runs with one of
the -S sets SETS (comma list, e.g. C+PA,C+IBA,C+P+IBA,CA).  The auxiliary
part is drawn from its own random stream, so without the option every seed
gives the cases it always gave, and with it the same cases plus that part.  Both programs run the same
commands in the same directory with `-t out`; the -t files are compared
byte for byte (standard error too, with --stderr).

Nothing is normalised: with these options (no -e, no stat or list) neither
program prints anything time dependent to the -t file.  (Standard error is
not normalised either; note that Fluxion sometimes prints a stale errno
there, e.g. "traverser: Inappropriate ioctl for device".)

Kinds of difference: tfile (the -t files differ), stderr (only standard
error, with --stderr), crash (schedsim died or timed out), refcrash
(Fluxion itself aborted, e.g. std::out_of_range when the pruning filters
give the root no aggregate; listed, not counted in the exit status).

A differing case is minimised (commands dropped, graph shrunk while the -t
files still differ) and saved under OUT/<case>/: graph.json, the jobspecs,
cmds, opts (the command line, to rerun with run.sh), want.out (Fluxion),
got.out (schedsim), diff (unified), and the stderr of both.  A summary of
differences by axis and by the command whose output differs first is
printed at the end and written to OUT/summary.txt.

--mix wide adds what the classic mix never generates: update allocate/reserve
from rv1exec R (the right ranks and core ids, a subset, or wrong ids) and from
the whole graph's JGF, match without_allocating(_future), get-status /
get-property, remove of a node path, set-status of sockets/racks/the cluster
more often, partial-cancel with correct R, and graphs whose vertices below a
node carry its rank (the rv1exec reader needs them).

Cases are seeded per case (--seed S, case i uses Random("S:i")), so the
same case comes out the same whatever --cases, --jobs or --only say.

--self runs schedsim as the reference too (a self-check that needs no
Fluxion); --gen-only DIR writes the generated cases without running them.
This is a development tool: the test suite and CI never need Fluxion.
Exit status: 0 when no case differed, 1 when some did, 2 on usage errors.
"""
import argparse
import concurrent.futures
import difflib
import json
import os
import random
import re
import shutil
import subprocess
import sys

import difftest_aux

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_FLUXION = "/opt/fluxion/bin/resource-query"
DEFAULT_OUT = "/tmp/difftest-out"

POLICIES = ["first", "firstnodex", "low", "high", "lonode", "hinode", "lonodex", "hinodex",
            "locality", "variation", "custom"]
WRITERS = ["simple", "pretty_simple", "jgf", "jgf_shorthand", "rlite", "rv1", "rv1_nosched"]
PRUNES = ["none", "ALL:core", "ALL:core,ALL:node", "ALL:core,ALL:node,ALL:gpu",
          "ALL:core,ALL:gpu,ALL:memory", "ALL:node", "rack:node,node:core",
          "ALL:core,ALL:socket,ALL:node,ALL:gpu,ALL:memory", "cluster:core,rack:node,node:core"]
TRAVERSERS = ["simple", "flexible"]
OPS = ["allocate"] * 5 + ["allocate_orelse_reserve"] * 5 + [
    "allocate_with_satisfiability", "satisfiability"]
FINDS = ["status=up", "status=down", "sched-now=allocated", "sched-now=free",
         "sched-future=reserved", "status=up and sched-now=free",
         "sched-now=allocated or sched-future=reserved",
         "status=down or sched-now=allocated", "property=ssd", "sched-now=free and property=ssd"]
DURATIONS = [1, 60, 100, 600, 3600, 7200]


# ---------------------------------------------------------------- generation

def gen_graph_params(rng, max_nodes=16):
    nodes = rng.choice([1, 1, 2, 2, 3, 4, 4, 5, 6, 8, 8, 12, 16])
    if max_nodes > 16 and rng.random() < 0.5:
        nodes = rng.randint(17, max_nodes)
    nodes = min(nodes, max_nodes)
    p = {"nodes": nodes,
         "racks": rng.choice([0, 0, 1] + ([2, 3] if nodes >= 3 else [])),
         "sockets": rng.choice([1, 2, 2]),
         "cores": rng.choice([1, 2, 2, 4, 4, 6, 8]),
         "gpus": rng.choice([0, 0, 1, 2]),
         "memory": rng.choice([0, 0, 16, 64]),
         "props": [], "prefix": rng.choice(["node", "node", "host", "n"]),
         "cluster": rng.choice(["cluster", "cluster", "tiny"])}
    if rng.random() < 0.4:
        a = rng.randrange(nodes)
        b = rng.randrange(a, nodes)
        p["props"].append("ssd@%d-%d" % (a, b) if b > a else "ssd@%d" % a)
    return p


def graph_argv(p):
    argv = ["-n", str(p["nodes"]), "-s", str(p["sockets"]), "-c", str(p["cores"]),
            "-g", str(p["gpus"])]
    if p["memory"]:
        argv += ["-m", str(p["memory"])]
    if p["racks"]:
        argv += ["-r", str(p["racks"])]
    if p.get("prefix", "node") != "node":
        argv += ["--prefix", p["prefix"]]
    if p.get("cluster", "cluster") != "cluster":
        argv += ["--cluster", p["cluster"]]
    for prop in p["props"]:
        name, rng_ = prop.split("@")
        a, _, b = rng_.partition("-")
        a, b = int(a), min(int(b or a), p["nodes"] - 1)
        if a < p["nodes"]:         # minimisation may have dropped nodes
            argv += ["-p", "%s@%d-%d" % (name, a, b) if b > a else "%s@%d" % (name, a)]
    return argv


def gen_count(rng, hi):
    """A count: an integer, sometimes a min/max/operator range."""
    lo = rng.randint(1, max(1, hi))
    r = rng.random()
    if r < 0.80:
        return lo
    if r < 0.88:
        return {"min": lo}
    if r < 0.94:
        return {"min": lo, "max": lo + rng.randint(0, 3), "operator": "+", "operand": 1}
    return {"min": lo, "max": lo * 4, "operator": "*", "operand": 2}


def gen_leaves(rng, gp, over):
    """Cores, and GPUs / memory mostly where the graph has them (Fluxion's jobspec
    parser rejects a type its graph does not know: tested, but rarely)."""
    leaves = [{"type": "core", "count": gen_count(rng, max(1, gp["cores"] // 2) + over)}]
    if rng.random() < (0.4 if gp["gpus"] else 0.03):
        leaves.append({"type": "gpu", "count": gen_count(rng, max(1, gp["gpus"]))})
    if rng.random() < (0.3 if gp["memory"] else 0.03):
        leaves.append({"type": "memory", "count": rng.choice([1, 4, 8, 16, 32])})
    if rng.random() < 0.08:
        leaves = [leaves[-1]]          # a GPU-only or memory-only request
    return leaves


def or_slots(rng, gp, over, first):
    """Sibling slots (or-slots) or xor_slots above the leaves, for -T flexible."""
    kind = rng.choice(["slot", "xor_slot"])
    out = []
    for k in range(rng.randint(2, 3)):
        t = kind if rng.random() < 0.9 else rng.choice(["slot", "xor_slot"])
        out.append({"type": t, "count": rng.choice([1, 1, 2, 3]), "label": "task",
                    "with": first if k == 0 else gen_leaves(rng, gp, over)})
    return out


def gen_jobspec(rng, gp, flexible=False):
    """A version-1 jobspec as a nested dict (resources, duration)."""
    # The graph's levels below the root; the request starts at one of them.
    levels = ["cluster"] + (["rack"] if gp["racks"] else []) + ["node", "socket"]
    top = rng.choice(levels[1:] + ["node", "node", "socket", "leaf", "leaf"]
                     + (["cluster"] if rng.random() < 0.1 else []))
    chain = [] if top == "leaf" else levels[levels.index(top):]
    if chain and rng.random() < 0.08:
        # Skip a level: Fluxion's simple traverser needs the graph's shape.
        del chain[rng.randrange(len(chain))]
    over = 1 if rng.random() < 0.1 else 0     # sometimes ask for more than there is
    maxc = {"cluster": 1, "rack": max(1, gp["racks"]), "node": min(4, gp["nodes"]) + over,
            "socket": gp["sockets"] + over}
    leaves = gen_leaves(rng, gp, over)
    # Slot position: 0 = above the chain's top, len(chain) = just above the leaves.
    spos = rng.randint(0, len(chain))
    levels_out = []
    for i, t in enumerate(chain):
        if i == spos:
            levels_out.append("slot")
        levels_out.append(t)
    if spos == len(chain):
        levels_out.append("slot")
    node = leaves
    for t in reversed(levels_out):
        if t == "slot" and node is leaves and rng.random() < (0.35 if flexible else 0.03):
            node = or_slots(rng, gp, over, leaves)
            continue
        if t == "slot":
            r = {"type": "slot", "count": rng.choice([1, 1, 1, 2]), "label": "task",
                 "with": node}
            if rng.random() < 0.1:
                r["count"] = gen_count(rng, 2)
        else:
            r = {"type": t, "count": rng.randint(1, maxc[t]), "with": node}
            if t in ("node", "socket") and rng.random() < 0.15:
                r["count"] = gen_count(rng, maxc[t])
            x = rng.random()
            if x < 0.15:
                r["exclusive"] = True
            elif x < 0.2:
                r["exclusive"] = False
        node = [r]
    js = {"resources": node, "duration": rng.choice(DURATIONS)}
    if rng.random() < 0.15:
        js["constraints"] = gen_constraint(rng, gp)
    return js


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"%s"' % v if v in ("+", "*", "^") else v
    return str(v)


def yaml_res(res, ind, out):
    for r in res:
        pad = " " * ind
        out.append("%s- type: %s" % (pad, r["type"]))
        c = r["count"]
        if isinstance(c, dict):
            out.append("%s  count:" % pad)
            for k in ("min", "max", "operator", "operand"):
                if k in c:
                    out.append("%s    %s: %s" % (pad, k, yaml_scalar(c[k])))
        else:
            out.append("%s  count: %d" % (pad, c))
        for k in ("label", "exclusive"):
            if k in r:
                out.append("%s  %s: %s" % (pad, k, yaml_scalar(r[k])))
        if r.get("with"):
            out.append("%s  with:" % pad)
            yaml_res(r["with"], ind + 4, out)


def jobspec_yaml(js):
    out = ["version: 1", "resources:"]
    yaml_res(js["resources"], 2, out)
    out += ["attributes:", "  system:", "    duration: %d" % js["duration"]]
    if "constraints" in js:
        out.append("    constraints: " + json.dumps(js["constraints"]))
    out += ["tasks:",
            '  - command: [ "app" ]', "    slot: task", "    count:", "      per_slot: 1"]
    return "\n".join(out) + "\n"


def node_paths(gp):
    """Containment paths of the nodes `schedsim graph gen` writes (rack i*R/N)."""
    paths = []
    root = "/%s0" % gp.get("cluster", "cluster")
    pre = gp.get("prefix", "node")
    for i in range(gp["nodes"]):
        if gp["racks"]:
            paths.append("%s/rack%d/%s%d" % (root, i * gp["racks"] // gp["nodes"], pre, i))
        else:
            paths.append("%s/%s%d" % (root, pre, i))
    return paths


def other_paths(rng, gp):
    """A socket, rack or the cluster: set-status on non-node vertices."""
    n = rng.randrange(gp["nodes"])
    c = rng.random()
    if c < 0.5:
        return "%s/socket%d" % (node_paths(gp)[n], rng.randrange(gp["sockets"]) + n * gp["sockets"])
    if c < 0.8 and gp["racks"]:
        return "/%s0/rack%d" % (gp.get("cluster", "cluster"), rng.randrange(gp["racks"]))
    return "/%s0" % gp.get("cluster", "cluster")


def gen_constraint(rng, gp):
    """An RFC 31 constraint over the generated graph's names, ranks and ssd property."""
    pre = gp.get("prefix", "node")
    n = gp["nodes"]

    def leaf():
        k = rng.random()
        if k < 0.4:
            return {"properties": [rng.choice(["ssd", "^ssd"])]}
        if k < 0.7:
            a = rng.randrange(n)
            b = rng.randrange(a, n)
            return {"hostlist": ["%s%d" % (pre, a) if a == b else "%s[%d-%d]" % (pre, a, b)]}
        return {"ranks": [str(rng.randrange(n))]}
    k = rng.random()
    if k < 0.6:
        return leaf()
    if k < 0.8:
        return {rng.choice(["and", "or"]): [leaf(), leaf()]}
    return {"not": [leaf()]}



def find_cmd(rng, jobs, paths):
    """A random find command (predicates over status, schedule, job ids, names)."""
    j = rng.randint(1, max(1, jobs))
    return "find " + rng.choice(FINDS + [
        "jobid-alloc=%d" % j, "jobid-span=%d" % j, "jobid-tag=%d" % j,
        "jobid-reserved=%d" % j, "agfilter=t", "jobid-alloc=%d agfilter=t" % j,
        "names=%s" % paths[rng.randrange(len(paths))].rsplit("/", 1)[1],
        "(status=up or status=down) and sched-now=free"])


def multi_match_cmd(rng, njs):
    """A random multi-match of 2-3 jobspecs, and how many jobs it submits."""
    k = rng.randint(2, 3)
    return "multi-match %s %s" % (rng.choice(OPS[:10]), " ".join(
        "job%d.yaml" % rng.randrange(njs) for _ in range(k))), k

def gen_commands(rng, gp, njs, policy, mix="classic"):
    """A list of command lines; job files are named job<k>.yaml, partial R pr<k>.json."""
    if mix == "wide":
        return gen_commands_wide(rng, gp, njs, policy)
    cmds, jobs, partials = [], 0, []
    paths = node_paths(gp)
    if policy == "variation":
        for p in paths:
            if rng.random() < 0.8:
                cmds.append("set-property %s perf_class=%d" % (p, rng.randint(1, 3)))
    for _ in range(rng.randint(3, 16)):
        r = rng.random()
        if r < 0.62:
            cmds.append("match %s job%d.yaml" % (rng.choice(OPS), rng.randrange(njs)))
            jobs += 1
        elif r < 0.72 and jobs:
            cmds.append("cancel %d" % rng.randint(1, jobs + (1 if rng.random() < 0.1 else 0)))
        elif r < 0.76 and jobs:
            k = len(partials)
            rank = rng.randrange(gp["nodes"])
            partials.append(rank)
            cmds.append("partial-cancel %d rv1exec pr%d.json" % (rng.randint(1, jobs), k))
        elif r < 0.82 and jobs:
            cmds.append("info %d" % rng.randint(1, jobs))
        elif r < 0.90:
            cmds.append(find_cmd(rng, jobs, paths))
        elif r < 0.93:
            cmd, k = multi_match_cmd(rng, njs)
            cmds.append(cmd)
            jobs += k
        else:
            st = "down" if rng.random() < 0.7 else "up"
            p = rng.choice(paths) if rng.random() < 0.85 else other_paths(rng, gp)
            cmds.append("set-status %s %s" % (p, st))
    return cmds, partials


def gen_r(rng, gp, jobs):
    """An R (rv1exec) spec for update / partial-cancel: some ranks, their own
    cores (the graph's core ids are global: rank r has S*C ids from r*S*C),
    sometimes a subset, sometimes another rank's ids (a reader error)."""
    n = gp["nodes"]
    k = 1 if rng.random() < 0.7 else rng.randint(1, min(3, n))
    ranks = sorted(rng.sample(range(n), k))
    ids = rng.choice(["own", "own", "own", "sub", "zero"])
    gpus = rng.random() < 0.7
    start = rng.choice([0, 0, 100, 3600])
    return {"ranks": ranks, "ids": ids, "gpus": gpus, "start": start,
            "exp": start + rng.choice(DURATIONS)}


def gen_commands_wide(rng, gp, njs, policy):
    """The 'wide' mix: the classic commands plus update (rv1exec and JGF),
    match without_allocating(_future), partial-cancel of the right ranks,
    get-status / get-property, set-status of non-node vertices and remove."""
    cmds, jobs, partials = [], 0, []
    paths = node_paths(gp)
    if policy == "variation":
        for p in paths:
            if rng.random() < 0.8:
                cmds.append("set-property %s perf_class=%d" % (p, rng.randint(1, 3)))
    ops = OPS + ["without_allocating", "without_allocating_future"]
    for _ in range(rng.randint(3, 20)):
        r = rng.random()
        if r < 0.50:
            op = rng.choice(ops)
            cmds.append("match %s job%d.yaml" % (op, rng.randrange(njs)))
            jobs += op not in ("without_allocating", "without_allocating_future")
        elif r < 0.60 and jobs:
            cmds.append("cancel %d" % rng.randint(1, jobs + (1 if rng.random() < 0.1 else 0)))
        elif r < 0.65 and jobs:
            k = len(partials)
            partials.append(gen_r(rng, gp, jobs))
            cmds.append("partial-cancel %d rv1exec pr%d.json" % (rng.randint(1, jobs), k))
        elif r < 0.73:
            sub = rng.choice(["allocate", "allocate", "reserve"])
            jobid = jobs + 1 if rng.random() < 0.85 else rng.randint(1, jobs + 1)
            dur = rng.choice(DURATIONS)
            if rng.random() < 0.15:
                at = 0 if sub == "allocate" else rng.choice([1, 100, 3600])
                cmds.append("update %s jgf graph.json %d %d %d" % (sub, jobid, at, dur))
            else:
                k = len(partials)
                spec = gen_r(rng, gp, jobs)
                partials.append(spec)
                at = 0 if sub == "allocate" else rng.choice([0, 100, 3600])
                cmds.append("update %s rv1exec pr%d.json %d %d %d" % (sub, k, jobid, at, dur))
            jobs = max(jobs, jobid)
        elif r < 0.77 and jobs:
            cmds.append("info %d" % rng.randint(1, jobs))
        elif r < 0.85:
            cmds.append(find_cmd(rng, jobs, paths))
        elif r < 0.88:
            cmd, k = multi_match_cmd(rng, njs)
            cmds.append(cmd)
            jobs += k
        elif r < 0.91:
            p = rng.choice(paths) if rng.random() < 0.6 else other_paths(rng, gp)
            cmds.append("%s %s" % (rng.choice(["get-status", "get-property"]), p))
        elif r < 0.92:
            cmds.append("remove %s true" % rng.choice(paths))
        else:
            st = "down" if rng.random() < 0.7 else "up"
            p = rng.choice(paths) if rng.random() < 0.6 else other_paths(rng, gp)
            cmds.append("set-status %s %s" % (p, st))
    return cmds, partials


def r_text(gp, spec):
    """The rv1exec R of a gen_r spec on graph gp (ranks past the graph dropped)."""
    n = gp["nodes"]
    ranks = [r for r in spec["ranks"] if r < n] or [0]
    ncore = gp["sockets"] * gp["cores"]
    ngpu = gp["sockets"] * gp["gpus"]
    pre = gp.get("prefix", "node")

    def ids(base, cnt):
        if spec["ids"] == "zero":
            base = 0
        last = base + (cnt - 1 if spec["ids"] != "sub" else max(0, cnt // 2 - 1))
        return "%d-%d" % (base, last) if last > base else "%d" % base
    rl = []
    for r in ranks:
        ch = {"core": ids(r * ncore, ncore)}
        if ngpu and spec["gpus"]:
            ch["gpu"] = ids(r * ngpu, ngpu)
        rl.append({"rank": str(r), "children": ch})
    return json.dumps({"version": 1, "execution": {
        "R_lite": rl, "nodelist": ["%s%d" % (pre, r) for r in ranks],
        "starttime": spec["start"], "expiration": spec["exp"]}}) + "\n"


def partial_r(gp, rank):
    cores = gp["sockets"] * gp["cores"]
    ch = {"core": "0-%d" % (cores - 1) if cores > 1 else "0"}
    gpus = gp["sockets"] * gp["gpus"]
    if gpus:
        ch["gpu"] = "0-%d" % (gpus - 1) if gpus > 1 else "0"
    return json.dumps({"version": 1, "execution": {
        "R_lite": [{"rank": str(rank), "children": ch}], "nodelist": ["%s%d" % (gp.get("prefix", "node"), rank)],
        "starttime": 0, "expiration": 1000000}}) + "\n"


def gen_policy(rng):
    p = rng.choice(POLICIES)
    if p != "custom":
        return p
    parts = ["policy=" + rng.choice(["low", "high"])]
    for k in ("node_centric", "node_exclusive", "stop_on_1_matches"):
        if rng.random() < 0.5:
            parts.append("%s=%s" % (k, rng.choice(["true", "false"])))
    return " ".join(parts)


def gen_case(seed, i, axes):
    rng = random.Random("%s:%d" % (seed, i))
    gp = gen_graph_params(rng, axes.get("max_nodes", 16))
    if axes.get("mix") == "wide":
        gp["ranked"] = rng.random() < 0.6
    trav = rng.choice(axes["traversers"])
    njs = rng.randint(1, 4)
    jobspecs = [gen_jobspec(rng, gp, trav == "flexible") for _ in range(njs)]
    policy = gen_policy(rng) if axes["policies"] is None else rng.choice(axes["policies"])
    writer = rng.choice(axes["writers"])
    prune = rng.choice(axes["prunes"])
    cmds, partials = gen_commands(rng, gp, njs, policy, axes.get("mix", "classic"))
    case = {"id": "c%05d" % i, "graph": gp, "jobspecs": jobspecs, "cmds": cmds,
            "partials": partials, "policy": policy, "writer": writer, "prune": prune,
            "trav": trav}
    if axes.get("subsystems"):
        arng = random.Random("%s:%d:aux" % (seed, i))
        case["aux"] = difftest_aux.gen_aux(arng, gp, axes["subsystems"])
        for js in jobspecs:
            difftest_aux.aux_jobspec(arng, js, case["aux"])
    return case


def case_opts(case):
    sub = case["aux"]["set"] if case.get("aux") else "CA"
    o = ["-L", "graph.json", "-f", "jgf", "-S", sub, "-P", case["policy"],
         "-F", case["writer"], "-T", case["trav"]]
    if case["prune"] != "none":
        o += ["-p", case["prune"]]
    return o + ["-t", "out"]


def shq(s):
    return s if s and all(c.isalnum() or c in "-_=:,./@" for c in s) else "'%s'" % s


def rank_children(fn):
    """Give every vertex below a node its node's rank (as in the JGF of a
    running Flux instance), which the rv1exec reader's lookups need."""
    with open(fn) as fp:
        g = json.load(fp)
    nodes = {}
    for v in g["graph"]["nodes"]:
        m = v["metadata"]
        if m["type"] == "node":
            nodes[m["paths"]["containment"]] = m["rank"]
    for v in g["graph"]["nodes"]:
        m = v["metadata"]
        p = m["paths"]["containment"]
        for np_, r in nodes.items():
            if p.startswith(np_ + "/"):
                m["rank"] = r
    with open(fn, "w") as fp:
        json.dump(g, fp)
        fp.write("\n")


def write_case(case, d, schedsim):
    """Write the case's files into d; the graph comes from `schedsim graph gen`."""
    os.makedirs(d, exist_ok=True)
    r = subprocess.run([schedsim, "graph", "gen"] + graph_argv(case["graph"])
                       + ["-o", os.path.join(d, "graph.json")], capture_output=True)
    if r.returncode:
        raise RuntimeError("graph gen failed: " + r.stderr.decode(errors="replace"))
    if case["graph"].get("ranked"):
        rank_children(os.path.join(d, "graph.json"))
    if case.get("aux"):
        difftest_aux.add_aux_graph(os.path.join(d, "graph.json"), case["aux"],
                                   random.Random(case["aux"]["seed"]))
    used = set(w for c in case["cmds"] for w in c.split() if w.endswith(".yaml"))
    for k, js in enumerate(case["jobspecs"]):
        if "job%d.yaml" % k not in used:
            continue
        with open(os.path.join(d, "job%d.yaml" % k), "w") as fp:
            fp.write(jobspec_yaml(js))
    for k, rank in enumerate(case["partials"]):
        with open(os.path.join(d, "pr%d.json" % k), "w") as fp:
            fp.write(r_text(case["graph"], rank) if isinstance(rank, dict)
                     else partial_r(case["graph"], rank))
    with open(os.path.join(d, "cmds"), "w") as fp:
        fp.write("\n".join(case["cmds"] + ["quit"]) + "\n")
    with open(os.path.join(d, "opts"), "w") as fp:
        fp.write(" ".join(shq(a) for a in case_opts(case)) + "\n")
    with open(os.path.join(d, "case.json"), "w") as fp:
        json.dump(case, fp, indent=1, sort_keys=True)
        fp.write("\n")


# ---------------------------------------------------------------- running

def run_one(argv, d, timeout):
    out = os.path.join(d, "out")
    if os.path.exists(out):
        os.unlink(out)
    with open(os.path.join(d, "cmds"), "rb") as fp:
        try:
            r = subprocess.run(argv, cwd=d, stdin=fp, capture_output=True, timeout=timeout)
            rc, err = r.returncode, r.stderr
        except subprocess.TimeoutExpired:
            rc, err = "timeout", b"timeout\n"
    t = b""
    if os.path.exists(out):
        with open(out, "rb") as fp:
            t = fp.read()
        os.unlink(out)
    if isinstance(rc, int) and rc < 0:
        err += b"\n[killed by signal %d]\n" % -rc
    return t, err, rc


def run_pair(case, d, args):
    opts = case_opts(case)
    want = run_one([args.ref] + opts, d, args.timeout)
    got = run_one([args.schedsim, "query"] + opts, d, args.timeout)
    return want, got


def differs(want, got, args):
    if want[0] != got[0]:
        return True
    if want[2] != got[2] and (want[2] == "timeout" or got[2] == "timeout"
                              or (isinstance(got[2], int) and got[2] < 0)):
        return True
    return args.stderr and err_view(want[1], args) != err_view(got[1], args)


def err_view(err, args):
    """Standard error as compared: lines matching --stderr-ignore dropped."""
    if not args.stderr_ignore:
        return err
    pat = re.compile(args.stderr_ignore.encode())
    return b"".join(l for l in err.splitlines(True) if not pat.search(l))


def kind_of(want, got, args):
    """The kind of a difference, None when there is none."""
    if not differs(want, got, args):
        return None
    if want[2] == "timeout" or (isinstance(want[2], int) and want[2] < 0):
        return "refcrash"      # Fluxion itself died (a Fluxion bug, listed apart)
    if got[2] == "timeout" or (isinstance(got[2], int) and got[2] < 0):
        return "crash"         # schedsim died or hung
    return "tfile" if want[0] != got[0] else "stderr"


def minimise(case, d, args, kind):
    """Drop commands and shrink the graph while the same kind of difference stays."""
    def still(c):
        write_case(c, d, args.schedsim)
        return kind_of(*run_pair(c, d, args), args) == kind

    cur = json.loads(json.dumps(case))
    budget = [args.min_budget]

    def try_(c):
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        try:
            return still(c)
        except RuntimeError:
            return False

    # Commands: drop chunks, then single lines, from the end backwards.
    chunk = max(1, len(cur["cmds"]) // 2)
    while chunk >= 1:
        i = len(cur["cmds"]) - chunk
        while i > -chunk:
            lo = max(0, i)
            c = dict(cur, cmds=cur["cmds"][:lo] + cur["cmds"][i + chunk:])
            if c["cmds"] and try_(c):
                cur = c
            i -= chunk
        chunk //= 2
    # Graph: fewer nodes, no racks, one socket, fewer cores, no gpus/memory/props.
    g = cur["graph"]
    steps = []
    for n in sorted({1, 2, g["nodes"] // 2, g["nodes"] - 1}):
        if 1 <= n < g["nodes"]:
            steps.append(("nodes", n))
    steps += [("racks", 0), ("sockets", 1), ("gpus", 0), ("memory", 0), ("props", []),
              ("ranked", False)]
    for c in sorted({1, 2, g["cores"] // 2, g["cores"] - 1}):
        if 1 <= c < g["cores"]:
            steps.append(("cores", c))
    for k, v in steps:
        if cur["graph"].get(k, False) == v or (k == "nodes" and v >= cur["graph"]["nodes"]) or \
                (k == "cores" and v >= cur["graph"]["cores"]):
            continue
        ng = dict(cur["graph"], **{k: v})
        if ng["racks"] > ng["nodes"]:
            ng["racks"] = ng["nodes"]
        c = dict(cur, graph=ng)
        if try_(c):
            cur = c
    # Unused jobspecs are left on disk as they are (their numbering is in cmds).
    write_case(cur, d, args.schedsim)
    return cur


def culprit(case):
    """The last command of a minimised case: the one whose output differs."""
    for c in reversed(case["cmds"]):
        w = c.split()
        if w[0] == "match":
            return "match " + w[1]
        if w[0] == "find":
            return "find " + " ".join(w[1:])
        if w[0] in ("set-status", "set-property"):
            return w[0]
        return w[0]
    return "(load)"


def save(case, d, want, got):
    with open(os.path.join(d, "want.out"), "wb") as fp:
        fp.write(want[0])
    with open(os.path.join(d, "got.out"), "wb") as fp:
        fp.write(got[0])
    with open(os.path.join(d, "want.err"), "wb") as fp:
        fp.write(want[1])
    with open(os.path.join(d, "got.err"), "wb") as fp:
        fp.write(got[1])
    a = want[0].decode(errors="replace").splitlines(True)
    b = got[0].decode(errors="replace").splitlines(True)
    diff = "".join(difflib.unified_diff(a, b, "fluxion", "schedsim"))
    if want[1] != got[1]:
        diff += "".join(difflib.unified_diff(want[1].decode(errors="replace").splitlines(True),
                                             got[1].decode(errors="replace").splitlines(True),
                                             "fluxion.stderr", "schedsim.stderr"))
    with open(os.path.join(d, "diff"), "w") as fp:
        fp.write(diff)
    with open(os.path.join(d, "run.sh"), "w") as fp:
        fp.write("#!/bin/sh\n# rerun: sh run.sh [BINARY] (default resource-query;"
                 " for schedsim: sh run.sh 'schedsim query'); prints the -t file\n"
                 "cd \"$(dirname \"$0\")\" || exit 1\n${1:-%s} %s -t rerun.out"
                 " < cmds > /dev/null\ncat rerun.out\n"
                 % (DEFAULT_FLUXION, " ".join(shq(a) for a in case_opts(case)[:-2])))


def do_case(i, args, axes):
    case = gen_case(args.seed, i, axes)
    d = os.path.join(args.out, case["id"])
    if os.path.exists(d):
        shutil.rmtree(d)
    try:
        write_case(case, d, args.schedsim)
    except RuntimeError as e:
        return case, "error", str(e), None, {}
    want, got = run_pair(case, d, args)
    stats = tally(want[0])
    kind = kind_of(want, got, args)
    if kind is None:
        shutil.rmtree(d)
        return case, "same", None, None, stats
    small = case
    if args.minimise and kind != "refcrash":   # Fluxion's own aborts are kept as generated
        small = minimise(case, d, args, kind)
        want, got = run_pair(small, d, args)
        if kind_of(want, got, args) != kind:   # minimisation must keep the difference
            small = case
            write_case(case, d, args.schedsim)
            want, got = run_pair(case, d, args)
    save(small, d, want, got)
    return case, kind, d, small, stats


def tally(text):
    """Counts of the reference's match outcomes, to see what the cases exercise."""
    t = {"alloc": text.count(b"RESOURCES=ALLOCATED"), "resv": text.count(b"RESOURCES=RESERVED"),
         "nomatch": text.count(b"No matching resources found"),
         "sat": text.count(b"Satisfiable request"), "unsat": text.count(b"Unsatisfiable")}
    return t


# ---------------------------------------------------------------- summary

def axis_of(case, name):
    if name == "policy":
        return "custom" if case["policy"].startswith("policy=") else case["policy"]
    if name == "graph":
        g = case["graph"]
        return ("racks" if g["racks"] else "norack") + ("+gpu" if g["gpus"] else "") + \
            ("+mem" if g["memory"] else "")
    if name == "subsys":
        a = case.get("aux")
        return (a["set"] + "".join("+" + k for k in ("power", "ibnet") if a.get(k))) if a \
            else "CA"
    return case[name]


def summarise(results, args):
    lines = []
    total = len(results)
    bad = [r for r in results if r[1] not in ("same",)]
    ours = [r for r in bad if r[1] != "refcrash"]
    lines.append("%d cases, %d same, %d differ, %d of them where the reference crashed "
                 "(seed %s, reference %s)" % (total, total - len(bad), len(bad),
                                              len(bad) - len(ours), args.seed, args.ref))
    for name in ("policy", "writer", "prune", "trav", "graph") + (
            ("subsys",) if args.subsystems else ()):
        counts = {}
        for case, kind, _, _ in results:
            k = axis_of(case, name)
            c = counts.setdefault(k, [0, 0])
            c[0] += 1
            c[1] += kind != "same"
        lines.append("")
        lines.append("%-46s %6s %6s" % ("by " + name, "cases", "differ"))
        for k in sorted(counts):
            lines.append("  %-44s %6d %6d" % (k, counts[k][0], counts[k][1]))
    by = {}
    for case, kind, d, small in bad:
        key = "%s: %s" % (kind, culprit(small) if small else "-")
        by.setdefault(key, []).append((len(small["cmds"]) if small else 0, d))
    if by:
        lines.append("")
        lines.append("by first differing command of the minimised case (smallest first)")
        for k in sorted(by, key=lambda k: -len(by[k])):
            ds = sorted(by[k])
            lines.append("  %4d  %-40s %s" % (len(ds), k, " ".join(d for _, d in ds[:3])))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default="1", help="random seed (default 1)")
    ap.add_argument("--cases", type=int, default=200, help="number of cases (default 200)")
    ap.add_argument("--first", type=int, default=0, help="index of the first case (default 0)")
    ap.add_argument("--only", help="run just these case indexes (comma separated)")
    ap.add_argument("--fluxion", default=DEFAULT_FLUXION, help="resource-query binary")
    ap.add_argument("--schedsim", default=os.environ.get("SCHEDSIM", os.path.join(
        REPO, "build", "difftest", "sim", "schedsim")), help="schedsim binary")
    ap.add_argument("--self", action="store_true",
                    help="use schedsim itself as the reference (no Fluxion needed)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="where differing cases go (%s)"
                    % DEFAULT_OUT)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                    help="cases run in parallel (default: the CPU count)")
    ap.add_argument("--timeout", type=float, default=60,
                    help="seconds per program run (default 60)")
    ap.add_argument("--stderr", action="store_true",
                    help="also count standard error differences")
    ap.add_argument("--stderr-ignore", metavar="REGEX",
                    help="with --stderr, drop the lines matching REGEX from both standard "
                    "errors before comparing (to look past a known, reported difference)")
    ap.add_argument("--no-minimise", dest="minimise", action="store_false",
                    help="save differing cases as generated")
    ap.add_argument("--min-budget", type=int, default=120,
                    help="runs allowed to minimise one case (default 120)")
    ap.add_argument("--policies", help="comma list (default: all, custom forms included)")
    ap.add_argument("--writers", default=",".join(WRITERS), help="comma list (default: %(default)s)")
    ap.add_argument("--prunes", default=";".join(PRUNES),
                    help="';'-separated pruning filter sets, 'none' for no -p")
    ap.add_argument("--traversers", default=",".join(TRAVERSERS),
                    help="comma list (default: %(default)s)")
    ap.add_argument("--max-nodes", type=int, default=16,
                    help="largest graph; above 16, half the graphs get 17..N nodes (default 16)")
    ap.add_argument("--mix", choices=["classic", "wide"], default="classic",
                    help="command mix: classic (the original generator: old seeds give "
                    "the same cases) or wide (adds update rv1exec/jgf, without_allocating"
                    "(_future), get-status/get-property, remove, partial-cancel of the "
                    "right ranks)")
    ap.add_argument("--subsystems", metavar="SETS", nargs="?", const=difftest_aux.DEFAULT_SETS,
                    help="add auxiliary subsystems to the graphs and run with one of these "
                    "-S sets (comma list; without a value: %s)" % difftest_aux.DEFAULT_SETS)
    ap.add_argument("--gen-only", metavar="DIR",
                    help="write the generated cases under DIR and stop")
    args = ap.parse_args()
    axes = {"policies": args.policies.split(",") if args.policies else None,
            "writers": args.writers.split(","), "prunes": args.prunes.split(";"),
            "traversers": args.traversers.split(","), "max_nodes": args.max_nodes,
            "mix": args.mix,
            "subsystems": args.subsystems.split(",") if args.subsystems else None}
    if os.sep in args.schedsim:
        args.schedsim = os.path.abspath(args.schedsim)
    if not shutil.which(args.schedsim):
        print("difftest: no schedsim at %s (use --schedsim)" % args.schedsim, file=sys.stderr)
        return 2
    idx = [int(x) for x in args.only.split(",")] if args.only else \
        list(range(args.first, args.first + args.cases))
    if args.gen_only:
        for i in idx:
            case = gen_case(args.seed, i, axes)
            write_case(case, os.path.join(args.gen_only, case["id"]), args.schedsim)
        print("wrote %d cases under %s" % (len(idx), args.gen_only))
        return 0
    args.ref = args.schedsim if args.self else args.fluxion
    if args.self:
        # Make the reference run `schedsim query` too.
        wrapper = os.path.join(os.path.abspath(args.out), "self-ref.sh")
        os.makedirs(args.out, exist_ok=True)
        with open(wrapper, "w") as fp:
            fp.write('#!/bin/sh\nexec "%s" query "$@"\n' % args.schedsim)
        os.chmod(wrapper, 0o755)
        args.ref = wrapper
    elif not os.access(args.fluxion, os.X_OK):
        print("difftest: no Fluxion resource-query at %s: nothing to compare" % args.fluxion)
        return 0
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    results, totals = [], {}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as ex:
        futs = [ex.submit(do_case, i, args, axes) for i in idx]
        for f in futs:
            case, kind, d, small, stats = f.result()
            results.append((case, kind, d, small))
            for k, v in stats.items():
                totals[k] = totals.get(k, 0) + v
            if kind != "same":
                print("%s %-6s %s" % (case["id"], kind, d), flush=True)
    text = summarise(results, args)
    text += "\nreference outcomes: %s\n" % " ".join(
        "%s=%d" % (k, totals[k]) for k in sorted(totals))
    with open(os.path.join(args.out, "summary.txt"), "w") as fp:
        fp.write(text)
    print(text, end="")
    return 1 if any(r[1] not in ("same", "refcrash") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
