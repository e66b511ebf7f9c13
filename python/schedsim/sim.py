"""Run a trace replay from Python and read its results.

    from schedsim import sim
    res = sim.run(graph="cluster.json", trace="jobs.swf", queue_policy="easy",
                  match_policy="first", out="out/easy")
    res.summary["wait_mean_s"], res.jobs[0]["start"], res.out_dir

The replay is the ``schedsim run`` command (the simulator is not part of
libschedsim.so's API), run as a child process; its reports are read back:
summary.json as a dict, jobs.csv and utilisation.csv as lists of dicts with
numbers converted, allocations.jsonl as a list of dicts.

The command is looked for in $SCHEDSIM_BIN, $SCHEDSIM, beside the engine
library's build directory (build/<dir>/sim/schedsim), the checkout's build
directories, then PATH.
"""

import csv
import glob
import json
import os
import shutil
import subprocess
import tempfile

__all__ = ["run", "Result", "SimError", "find_schedsim", "QUEUE_POLICIES"]

QUEUE_POLICIES = ("fcfs", "easy", "hybrid", "conservative")


class SimError(Exception):
    """A replay that could not run: ``returncode`` is the command's exit
    status (1 bad input, 2 bad command line), ``message`` its error text."""

    def __init__(self, message, returncode=1):
        super().__init__(message)
        self.message = message
        self.returncode = returncode


def _number(text):
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: _number(v) for k, v in row.items()} for row in csv.DictReader(f)]


class Result:
    """The reports of one replay in ``out_dir``; each is read on first use."""

    def __init__(self, out_dir, stdout=""):
        self.out_dir = out_dir
        self.stdout = stdout
        self._cache = {}

    def _path(self, name):
        return os.path.join(self.out_dir, name)

    def _load(self, name, reader):
        if name not in self._cache:
            self._cache[name] = reader(self._path(name))
        return self._cache[name]

    @property
    def summary(self):
        """summary.json: policies, input hashes, utilisation, waits..."""
        def rd(p):
            with open(p, encoding="utf-8") as f:
                return json.load(f)
        return self._load("summary.json", rd)

    @property
    def jobs(self):
        """jobs.csv rows: id, submit, start, end, wait, nodes, state..."""
        return self._load("jobs.csv", _read_csv)

    @property
    def utilisation(self):
        """utilisation.csv rows."""
        return self._load("utilisation.csv", _read_csv)

    @property
    def allocations(self):
        """allocations.jsonl records (one per started job)."""
        def rd(p):
            with open(p, encoding="utf-8") as f:
                return [json.loads(line) for line in f if line.strip()]
        return self._load("allocations.jsonl", rd)

    def __repr__(self):
        return "<schedsim.sim.Result %s>" % self.out_dir


def _source_root():
    here = os.path.dirname(os.path.realpath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    return root if os.path.isfile(os.path.join(root, "engine", "reapi_cli.h")) else None


def find_schedsim():
    """Path of the schedsim command, or None."""
    for var in ("SCHEDSIM_BIN", "SCHEDSIM"):
        p = os.environ.get(var)
        if p and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    cands = []
    lib = os.environ.get("SCHEDSIM_LIB")
    if lib:
        eng_dir = lib if os.path.isdir(lib) else os.path.dirname(lib)
        cands.append(os.path.join(os.path.dirname(eng_dir), "sim", "schedsim"))
    root = _source_root()
    if root:
        build = os.path.join(root, "build")
        cands += [os.path.join(build, d, "sim", "schedsim") for d in ("release", "test")]
        cands += sorted(glob.glob(os.path.join(build, "*", "sim", "schedsim")),
                        key=os.path.getmtime, reverse=True)
    for p in cands:
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return shutil.which("schedsim")


_FLAGS = (
    ("graph", "--graph"), ("trace", "--trace"), ("queue_policy", "--queue-policy"),
    ("match_policy", "--match-policy"), ("queue_depth", "--queue-depth"),
    ("reservation_depth", "--reservation-depth"), ("swf_unit", "--swf-unit"),
    ("cores_per_node", "--cores-per-node"), ("seed", "--seed"),
    ("resource_events", "--resource-events"), ("prune_filters", "--prune-filters"),
)


def run(graph=None, trace=None, queue_policy=None, match_policy=None, out=None, *,
        queue_depth=None, reservation_depth=None, swf_unit=None, cores_per_node=None,
        seed=None, resource_events=None, prune_filters=None, schedsim=None,
        timeout=None):
    """Replay 'trace' (SWF or JSON lines; None: the generated default
    workload) on 'graph' (JGF file; None: the generated default cluster)
    with 'queue_policy' (fcfs, easy, hybrid, conservative) and the engine's
    'match_policy', writing the reports to 'out' (None: a new temporary
    directory, kept).  Returns a Result; raises SimError when the replay
    fails (bad input, unknown policy), FileNotFoundError when there is no
    schedsim command."""
    exe = schedsim or find_schedsim()
    if not exe:
        raise FileNotFoundError("schedsim command not found: build it (scripts/run.sh) or "
                                "set SCHEDSIM_BIN")
    if queue_policy is not None and queue_policy not in QUEUE_POLICIES:
        raise SimError("unknown queue policy %r (expected one of %s)"
                       % (queue_policy, ", ".join(QUEUE_POLICIES)), 2)
    out_dir = os.fspath(out) if out is not None else tempfile.mkdtemp(prefix="schedsim-run-")
    args = [exe, "run", "--out", out_dir, "--quiet"]
    values = dict(graph=graph, trace=trace, queue_policy=queue_policy,
                  match_policy=match_policy, queue_depth=queue_depth,
                  reservation_depth=reservation_depth, swf_unit=swf_unit,
                  cores_per_node=cores_per_node, seed=seed,
                  resource_events=resource_events, prune_filters=prune_filters)
    for key, flag in _FLAGS:
        if values[key] is not None:
            args += [flag, os.fspath(values[key]) if hasattr(values[key], "__fspath__")
                     else str(values[key])]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    if p.returncode != 0:
        raise SimError((p.stderr or p.stdout).strip() or "schedsim run failed (exit %d)"
                       % p.returncode, p.returncode)
    return Result(out_dir, p.stdout)
