#!/usr/bin/env python3
"""bench_python.py: what the Python binding adds to match + cancel.

Runs the same match + cancel cycles on the same graph and jobspec through
schedsim.reapi_cli.ReapiCli and through the C API (bench_reapi, built beside
the library in build/<dir>/bench/), and prints microseconds per call for
both and the difference per call (issue 6: target under 5 us).  Each side is
run REPEAT times, alternating, and the fastest run of each is compared,
C calling the same libschedsim.so (bench_reapi --lib), not the static archive,
which filters out the noise of a shared machine.  A second, in-process
figure needs no C run: the wall time of ReapiCli.match() minus the engine's
own timing of the call ('ov', taken inside reapi_cli_match).

With --instructions, both sides also run under valgrind's callgrind and the
instructions per cycle are compared: a count that does not depend on the
machine's load (wall-clock figures on a busy machine do).

Usage: SCHEDSIM_LIB=build/release/engine/libschedsim.so \\
         python3 bench/bench_python.py [--cycles N] [--repeat R] [--c-bench PATH]
         [--instructions] [GRAPH.json JOBSPEC]
Default graph and jobspec: the one-core example of Fluxion's Python README
(the seed of issue 6), as bench_reapi's default.  Build with
-DCMAKE_BUILD_TYPE=Release for meaningful figures.
"""

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python", "tests"))

from schedsim import _ffi  # noqa: E402
from schedsim.reapi_cli import ReapiCli  # noqa: E402


def seed_inputs():
    from seed_data import JOBSPEC, OPTIONS, RGRAPH
    return RGRAPH, OPTIONS, JOBSPEC


def python_run(graph, options, jobspec, cycles):
    """Seconds per match, per cancel, and the mean of (match wall - ov)."""
    perf = time.perf_counter
    with ReapiCli(graph, options) as cli:
        for _ in range(cycles // 10 + 1):
            cli.cancel(cli.match(jobspec)[0])
        tm = tc = gap = 0.0
        for _ in range(cycles):
            t0 = perf()
            jobid, reserved, R, at, ov = cli.match(jobspec)
            t1 = perf()
            cli.cancel(jobid)
            t2 = perf()
            tm += t1 - t0
            tc += t2 - t1
            gap += (t1 - t0) - ov
    return tm / cycles, tc / cycles, gap / cycles


def loaded_path():
    """The library file ReapiCli loads (first existing candidate)."""
    for path in _ffi.candidates():
        if os.path.isfile(path):
            return path
    return ""


def c_bench_path(explicit):
    """bench_reapi of the same build: build/<dir>/bench/ beside engine/."""
    if explicit:
        return explicit
    eng = os.path.dirname(os.path.realpath(loaded_path()))
    return os.path.join(os.path.dirname(eng), "bench", "bench_reapi")


def c_run(exe, files, cycles):
    """Seconds per match and per cancel from bench_reapi's RESULT line."""
    # --lib: the C side calls the very library Python loaded
    out = subprocess.run([exe, "--lib", os.path.realpath(loaded_path())] + files +
                         [str(cycles)], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    m = re.search(r"RESULT cycle_us=([\d.]+) match_us=([\d.]+) cancel_us=([\d.]+)", out)
    if not m:
        raise RuntimeError("unexpected bench_reapi output:\n" + out)
    return float(m.group(2)) / 1e6, float(m.group(3)) / 1e6


def loop(graph, options, jobspec, cycles):
    """bench_reapi's loop shape, for callgrind: warm-up, then the cycles."""
    with ReapiCli(graph, options) as cli:
        for _ in range(cycles + cycles // 10 + 1):
            cli.cancel(cli.match(jobspec)[0])


def callgrind(cmd):
    """Instructions executed by 'cmd' under callgrind."""
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
                       + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, check=True)
    return int(re.search(r"Collected : (\d+)", p.stderr).group(1))


def instructions(exe, files):
    """Instructions per match+cancel cycle, C and Python: two run lengths,
    so start-up and loading cancel out."""
    lo, hi = 1000, 3000
    cycles = (hi + hi // 10) - (lo + lo // 10)
    lib = os.path.realpath(loaded_path())
    c = [callgrind([exe, "--lib", lib] + files + [str(n)]) for n in (lo, hi)]
    py = [callgrind([sys.executable, os.path.abspath(__file__), "--loop", str(n)] + files)
          for n in (lo, hi)]
    return (c[1] - c[0]) / cycles, (py[1] - py[0]) / cycles


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help="GRAPH.json JOBSPEC")
    ap.add_argument("--cycles", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--c-bench", help="path of bench_reapi")
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions with valgrind (a minute or two)")
    ap.add_argument("--loop", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if len(a.files) not in (0, 2):
        ap.error("give both GRAPH.json and JOBSPEC, or neither")
    if a.files:
        with open(a.files[0]) as f:
            graph = f.read()
        with open(a.files[1]) as f:
            jobspec = f.read()
        options = '{"load_format": "jgf"}'
    else:
        graph, options, jobspec = seed_inputs()
    if a.loop:
        loop(graph, options, jobspec, a.loop)
        return 0
    exe = c_bench_path(a.c_bench)
    have_c = os.access(exe, os.X_OK)
    py, cc = [], []
    for _ in range(a.repeat):
        py.append(python_run(graph, options, jobspec, a.cycles))
        if have_c:
            cc.append(c_run(exe, a.files, a.cycles))
    us = 1e6
    pm, pc, gap = (min(p[i] for p in py) for i in range(3))
    print("library: %s" % loaded_path())
    print("%s, %d match+cancel cycles x %d runs (fastest run of each)"
          % (" ".join(a.files) or "seed graph and jobspec", a.cycles, a.repeat))
    print("  Python  match %8.3f us  cancel %7.3f us  cycle %8.3f us"
          % (pm * us, pc * us, (pm + pc) * us))
    if have_c:
        cm, ccn = (min(c[i] for c in cc) for i in range(2))
        print("  C       match %8.3f us  cancel %7.3f us  cycle %8.3f us"
              % (cm * us, ccn * us, (cm + ccn) * us))
        print("  added by Python: match %+.3f us, cancel %+.3f us; %.3f us per call"
              % ((pm - cm) * us, (pc - ccn) * us, ((pm + pc) - (cm + ccn)) / 2 * us))
    else:
        print("  C baseline skipped: %s not built (target bench_reapi)" % exe)
    print("  in-process: match() wall time minus the engine's own 'ov': %.3f us"
          % (gap * us))
    if a.instructions and have_c:
        ci, pi = instructions(exe, a.files)
        us_per_instr = (cm + ccn) / ci * us
        print("  instructions per cycle (callgrind): C %.0f, Python %.0f: %+.0f per call,"
              % (ci, pi, (pi - ci) / 2))
        print("  about %.3f us per call at the C run's own rate of %.2f instructions/ns"
              % ((pi - ci) / 2 * us_per_instr, 1 / us_per_instr / 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
