#!/usr/bin/env python3
"""easyref.py: an independent reference for FCFS and classic EASY backfilling.

Validation aid for schedsim (README, "Validation"): it shares no code with the
simulator.  The machine is a processor count, a reservation is a "shadow time"
plus "extra" processors, and every convention on which simulators differ is an
option, so each difference between schedsim and its peers can be traced to a
switch.  --reserve pinned instead numbers the processors and promises the
reserved job specific ones, chosen as Fluxion's planner and 'first' match
policy choose them on a graph of one-core nodes.

SWF mapping (as schedsim's workloads/wjob.c, documented in its README):
  procs    = field 8 (requested) if > 0, else field 5 (allocated); a job with
             no size (< 1) or run time < 0 is "unmapped": counted, never run
  walltime = field 9 (requested time) if > 0, else the run time; 0 becomes 1
  end      = start + min(run time, walltime)     (--overrun kill, default)
  submit   shifted so that the earliest job is at 0; jobs sorted stably
  bounded slowdown = max(1, (wait + run) / max(run, 10)), run = end - start

Events at one instant (default --ties batch, as schedsim): every completion,
then every arrival, then one scheduling pass that sees all of them; a job of
run time 0 ends at the instant it starts and triggers another pass.

Usage: easyref.py TRACE.swf [--policy fcfs|easy] [--procs 100] [options]
       [--jobs-csv FILE]   writes id,submit,start,end,wait,runtime,state,nodelist
Prints the number of jobs run and their mean wait and bounded slowdown.
"""
import argparse
import heapq
import sys

# Events sort by (time, kind, sequence).  Completions are kind 0 and arrivals
# kind 2 (the other way round under --ties arrival-first); passes come last.
SCHED = 3


class Job:
    __slots__ = ("id", "pos", "submit", "run", "wall", "procs", "start", "end",
                 "state", "shadow", "cores")

    def __init__(self, fields, pos):
        f = [int(float(x)) for x in fields]
        self.id, self.pos = f[0], pos
        self.submit = f[1]
        self.procs = f[7] if f[7] > 0 else f[4]
        self.run = f[3]
        self.wall = f[8] if f[8] > 0 else self.run
        if self.wall == 0:
            self.wall = 1
        self.start = self.end = None
        self.shadow = self.cores = None
        if self.procs < 1 or self.run < 0:
            self.state = "unmapped"
        else:
            self.state = "future"


def load_swf(path, limit):
    jobs = []
    with open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            text = line.split(";", 1)[0].split()
            if not text:
                continue
            if len(text) != 18:
                sys.exit(f"{path}:{lineno}:1: expected 18 fields, got {len(text)}")
            try:
                jobs.append(Job(text, len(jobs)))
            except ValueError as e:
                sys.exit(f"{path}:{lineno}:1: {e}")
            if limit and len(jobs) >= limit:
                break
    jobs.sort(key=lambda j: (j.submit, j.pos))
    first = jobs[0].submit if jobs else 0
    for j in jobs:
        j.submit -= first
    return jobs


class Sim:
    def __init__(self, jobs, opt):
        self.opt, self.jobs = opt, jobs
        self.free = opt.procs
        self.holder = [None] * opt.procs  # --reserve pinned: job on each core
        self.weight = [2] * opt.procs  # --reserve pinned: visiting order
        self.now = 0
        self.queue = []    # waiting jobs in arrival order
        self.running = []  # started, not yet finished
        self.events = []
        self.seq = 0
        self.pass_at = -1
        self.each = opt.ties != "batch"
        self.k_finish, self.k_arrival = (2, 0) if opt.ties == "arrival-first" else (0, 2)
        for j in jobs:
            if j.state == "future":
                self.push(j.submit, self.k_arrival, j)

    def push(self, t, kind, job):
        heapq.heappush(self.events, (t, kind, self.seq, job))
        self.seq += 1

    def want_pass(self, again=False):
        """Queue one pass at this instant (with --ties batch, or 'again':
        a pass that stopped at the queue depth having started jobs)."""
        if (again or not self.each) and self.pass_at != self.now:
            self.pass_at = self.now
            self.push(self.now, SCHED, None)

    # ---- life of a job
    def length(self, j):
        return j.run if self.opt.overrun == "run" else min(j.run, j.wall)

    def start(self, j, cores=None):
        self.queue.remove(j)
        j.start, j.end, j.state = self.now, self.now + self.length(j), "completed"
        self.free -= j.procs
        if self.opt.reserve != "count":
            if cores is None:
                cores = self.pick([c for c, h in enumerate(self.holder) if h is None],
                                  j.procs)
            j.cores = cores
            for c in cores:
                self.holder[c] = j
        self.running.append(j)
        self.push(j.end, self.k_finish, j)

    def expected_end(self, j):
        """When a scheduler expects running job 'j' to end: at its walltime;
        one that outlived it (--overrun run) any moment now."""
        return max(j.start + j.wall, self.now + 1)

    # ---- events
    def on_arrival(self, j):
        if j.procs > self.opt.procs:
            if self.opt.big == "reject":
                j.state = "rejected"
                return
            j.procs = self.opt.procs
        self.queue.append(j)
        self.want_pass()

    def on_finish(self, j):
        self.running.remove(j)
        self.free += j.procs
        for c in j.cores or ():
            self.holder[c] = None
        self.want_pass()

    def shadow(self, head):
        """Earliest time 'head' fits, counting running jobs' expected ends,
        and the processors still free then ('extra')."""
        free, t = self.free, self.now
        for r in sorted(self.running, key=lambda r: (self.expected_end(r), r.pos)):
            if free >= head.procs:
                break
            free += r.procs
            t = self.expected_end(r)
        return t, free - head.procs

    # ---- processors as numbered cores and reservations pinned to cores, as
    # Fluxion's planner makes them (--reserve pinned)
    def pick(self, cands, n, later=False):
        """The 'n' cores a match takes from 'cands', as Fluxion's "first"
        policy on a graph of one-core nodes: it visits a vertex's children by
        (weight, id) descending and takes the first that fit.  A weight starts
        at the maximum; a match that allocates or reserves ('later') a child
        sets it to the child's free count at the current time: 0 for an
        allocation, 0 or 1 for a reservation."""
        chosen = sorted(cands, key=lambda c: (self.weight[c], c), reverse=True)[:n]
        for c in chosen:
            self.weight[c] = 1 if later and self.holder[c] is None else 0
        return chosen

    def reserve_pinned(self, j):
        """Earliest time 'j' fits, counting running jobs' expected ends, and
        the cores it is promised then."""
        free_from = [self.now if h is None else self.expected_end(h) for h in self.holder]
        for t in sorted(set(free_from)):
            cands = [c for c, f in enumerate(free_from) if f <= t]
            if len(cands) >= j.procs:
                return t, set(self.pick(cands, j.procs, later=t > self.now))
        raise AssertionError("a job larger than the machine was queued")

    def backfill_pinned(self, j, shadow, pinned):
        """Start 'j' on idle cores that the reservation does not hold while
        'j' runs; False when too few."""
        ends_before = self.now + j.wall <= shadow
        cands = [c for c, h in enumerate(self.holder)
                 if h is None and (ends_before or c not in pinned)]
        if len(cands) < j.procs:
            return False
        self.start(j, self.pick(cands, j.procs))
        return True

    # ---- scheduling passes
    def pass_fcfs(self):
        tried = 0
        while self.queue and self.queue[0].procs <= self.free:
            if self.opt.queue_depth and tried >= self.opt.queue_depth:
                self.want_pass(again=True)  # all tried started: another pass now
                return
            self.start(self.queue[0])
            tried += 1

    def pass_easy(self):
        depth = self.opt.queue_depth or len(self.queue)
        visited, started, head = 0, False, None
        shadow = promise = None  # the head's start, and extra count or cores
        for j in list(self.queue):
            if visited >= depth:
                if started:
                    self.want_pass(again=True)
                return
            visited += 1
            if head is None:
                if j.procs <= self.free:
                    self.start(j)
                    started = True
                    continue
                head = j
                if self.opt.reserve != "count":
                    shadow, promise = self.reserve_pinned(j)
                    continue
                shadow, promise = self.shadow(j)
                if self.opt.reservation == "keep":
                    if j.shadow is None or j.shadow < self.now:
                        j.shadow = shadow
                    shadow = j.shadow
                    promise = self.free_at(shadow) - j.procs
                continue
            if j.procs > self.free:
                continue
            if self.opt.reserve != "count":
                started = self.backfill_pinned(j, shadow, promise) or started
            elif self.now + j.wall <= shadow:
                self.start(j)
                started = True
            elif self.opt.backfill == "extra" and j.procs <= promise:
                promise -= j.procs
                self.start(j)
                started = True

    def free_at(self, t):
        """Processors free at time 't' by the running jobs' expected ends."""
        return self.free + sum(r.procs for r in self.running
                               if self.expected_end(r) <= t)

    def run(self):
        step = self.pass_fcfs if self.opt.policy == "fcfs" else self.pass_easy
        while self.events:
            t, kind, _, j = heapq.heappop(self.events)
            self.now = t
            if kind == SCHED:
                if self.pass_at == t:
                    self.pass_at = -1
                step()
                continue
            if kind == self.k_finish:
                self.on_finish(j)
            else:
                self.on_arrival(j)
            if self.each:
                step()


def idlist(cores):
    """Cores as schedsim's nodelist on one-core nodes: "node[2-3,40-44]"."""
    if not cores:
        return ""
    runs, ids = [], sorted(cores)
    lo = prev = ids[0]
    for c in ids[1:] + [None]:
        if c is not None and c == prev + 1:
            prev = c
            continue
        runs.append(f"{lo}" if lo == prev else f"{lo}-{prev}")
        lo = prev = c
    text = ",".join(runs)
    if len(ids) == 1:
        return f"node{text}"
    return f'"node[{text}]"' if "," in text else f"node[{text}]"


def report(jobs, out):
    done = [j for j in jobs if j.state == "completed"]
    waits = [j.start - j.submit for j in done]
    bsld = [max(1.0, (j.start - j.submit + j.end - j.start) / max(j.end - j.start, 10))
            for j in done]
    n = len(done)
    print(f"jobs_completed {n}")
    print(f"jobs_rejected {sum(j.state == 'rejected' for j in jobs)}")
    print(f"jobs_unmapped {sum(j.state == 'unmapped' for j in jobs)}")
    print(f"wait_mean_s {sum(waits) / n:.4f}" if n else "wait_mean_s 0")
    print(f"bsld_mean {sum(bsld) / n:.4f}" if n else "bsld_mean 0")
    if out:
        with open(out, "w") as fh:
            fh.write("id,submit,start,end,wait,runtime,state,nodelist\n")
            for j in jobs:
                if j.state == "completed":
                    fh.write(f"{j.id},{j.submit},{j.start},{j.end},{j.start - j.submit},"
                             f"{j.end - j.start},completed,{idlist(j.cores)}\n")
                else:
                    fh.write(f"{j.id},{j.submit},,,,,{j.state},\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trace")
    ap.add_argument("--policy", choices=["fcfs", "easy"], default="easy")
    ap.add_argument("--procs", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=0, help="read only the first N jobs")
    ap.add_argument("--queue-depth", type=int, default=0,
                    help="jobs visited per pass, as Fluxion counts them (0: all)")
    ap.add_argument("--ties", choices=["batch", "finish-first", "arrival-first"],
                    default="batch", help="one pass per instant after all events "
                    "(batch), or a pass after every event in the given order")
    ap.add_argument("--reservation", choices=["recompute", "keep"], default="recompute",
                    help="recompute the head's shadow time every pass, or keep the "
                    "first one computed")
    ap.add_argument("--reserve", choices=["count", "pinned"], default="count",
                    help="a reservation is a processor count at the shadow time "
                    "(count, classic EASY) or specific cores, chosen as Fluxion's "
                    "'first' policy does on one-core nodes (pinned; then "
                    "--reservation and --backfill do not apply)")
    ap.add_argument("--backfill", choices=["extra", "shadow-only"], default="extra",
                    help="backfill jobs that end by the shadow time or fit in the "
                    "extra processors (extra), or only the former")
    ap.add_argument("--big", choices=["reject", "clip"], default="reject",
                    help="jobs larger than the machine: reject, or clip to it")
    ap.add_argument("--overrun", choices=["kill", "run"], default="kill",
                    help="a job whose run time exceeds its walltime is killed at "
                    "the walltime (kill) or runs to its run time (run)")
    ap.add_argument("--jobs-csv")
    opt = ap.parse_args()
    if opt.procs < 1 or opt.queue_depth < 0 or opt.jobs < 0:
        ap.error("--procs must be >= 1, --queue-depth and --jobs >= 0")
    jobs = load_swf(opt.trace, opt.jobs)
    Sim(jobs, opt).run()
    report(jobs, opt.jobs_csv)


if __name__ == "__main__":
    main()
