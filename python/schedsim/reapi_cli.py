"""ReapiCli: Fluxion's standalone resource API (flux_sched.reapi_cli) on
schedsim's engine.

The class keeps Fluxion's Python binding's methods, arguments, defaults and
return tuples, so code written for ``flux_sched.reapi_cli`` runs unchanged
once the import line names ``schedsim.reapi_cli``.  Differences, on purpose:

* ``initialize()`` applies the ``policy`` and ``subsystems`` option keys
  (Fluxion's binding silently ignores both) and rejects unknown keys;
* ``match(..., orelse_reserve=False)`` asks for
  ``allocate_with_satisfiability``, so a request that can never be satisfied
  fails with ENODEV and one that is merely busy with EBUSY (Fluxion's
  binding uses plain ``allocate``, which reports both as EBUSY);
* every failure raises ReapiError with the engine's message and errno;
* beyond Fluxion's binding: satisfiability(), stat(), find(), set_status(),
  get_status(), update_allocate(), add_subgraph(), remove_subgraph(),
  clone(), set_time()/get_time(), close() and the context-manager protocol,
  and ``as_dict=True`` to get R parsed.

One ReapiCli belongs to one thread at a time; distinct instances share
nothing and may run in distinct threads.
"""

import json
import os
import re

from . import _ffi
from ._errors import ReapiError, Stat
from ._ffi import ffi

__all__ = ["ReapiCli", "ReapiError", "Stat", "MATCH_OPS"]

EINVAL = 22

#: resource-query's match operation names and Fluxion's match_op_t values.
MATCH_OPS = {
    "allocate": 1,
    "allocate_with_satisfiability": 2,
    "allocate_orelse_reserve": 3,
    "satisfiability": 4,
    "without_allocating": 5,
    "without_allocating_future": 6,
}

# resource-query's -S names, each with its subsystems (the first dominant).
_SUBSYSTEM_SETS = {
    "CA": ("containment",),
    "IBA": ("ibnet",),
    "IBBA": ("ibnetbw",),
    "PFS1BA": ("pfs1bw",),
    "PA": ("power",),
    "C+PA": ("containment", "power"),
    "C+IBA": ("containment", "ibnet"),
    "C+IBBA": ("containment", "ibnetbw"),
    "C+PFS1BA": ("containment", "pfs1bw"),
    "IB+IBBA": ("ibnet", "ibnetbw"),
    "C+P+IBA": ("containment", "power", "ibnet"),
    "V+PFS1BA": ("virtual1", "pfs1bw"),
    "VA": ("virtual1",),
    "ALL": ("all",),
}

# Option keys initialize() accepts: the seed's names and Fluxion's C names,
# mapped to the C names reapi_cli_initialize() reads.
_OPTION_KEYS = {
    "load_format": "load_format",
    "prune_filters": "prune_filters",
    "subsystems": "matcher_name",
    "matcher_name": "matcher_name",
    "policy": "matcher_policy",
    "matcher_policy": "matcher_policy",
    "traverser_policy": "traverser_policy",
    "match_format": "match_format",
}

_STATUS = {"up": 0, "down": 1}

EBUSY = 16
ENODEV = 19
_PLAIN = {EBUSY: "resources are busy", ENODEV: "request can never be satisfied"}


def subsystems_to_matcher(value):
    """resource-query's -S name for 'value': an -S name itself ("CA",
    "c+pa") or subsystem names, dominant first ("containment",
    "containment,power", "containment power")."""
    upper = value.strip().upper()
    if upper in _SUBSYSTEM_SETS:
        return upper
    names = tuple(n for n in re.split(r"[\s,+]+", value.strip()) if n)
    for key, subs in _SUBSYSTEM_SETS.items():
        if subs == names:
            return key
    raise ReapiError(
        "reapi_cli_initialize: unknown subsystems '%s' (use containment, power, "
        "ibnet, ibnetbw, pfs1bw, virtual1 combined as resource-query's -S "
        "names allow: %s)" % (value, ", ".join(_SUBSYSTEM_SETS)), EINVAL)


def translate_options(options):
    """JSON text for reapi_cli_initialize() from 'options' (JSON object text
    or a dict): keys checked, renamed to Fluxion's C names, subsystems mapped
    to an -S name.  Raises ReapiError(EINVAL) for anything it cannot use."""
    if isinstance(options, (str, bytes)):
        try:
            opts = json.loads(options or "{}")
        except ValueError as e:
            raise ReapiError("reapi_cli_initialize: options are not JSON: %s" % e, EINVAL)
    elif isinstance(options, dict):
        opts = options
    elif options is None:
        opts = {}
    else:
        raise TypeError("options: expected JSON text or a dict, got %s"
                        % type(options).__name__)
    if not isinstance(opts, dict):
        raise ReapiError("reapi_cli_initialize: options must be a JSON object", EINVAL)
    out = {}
    for key, value in opts.items():
        name = _OPTION_KEYS.get(key.replace("-", "_"))
        if name is None:
            raise ReapiError("reapi_cli_initialize: unknown option '%s' (known: %s)"
                             % (key, ", ".join(_OPTION_KEYS)), EINVAL)
        if not isinstance(value, str):
            raise ReapiError("reapi_cli_initialize: option '%s' must be a string" % key,
                             EINVAL)
        if name == "matcher_name":
            value = subsystems_to_matcher(value)
        if name in out and out[name] != value:
            raise ReapiError("reapi_cli_initialize: option '%s' conflicts with an "
                             "earlier key for the same setting" % key, EINVAL)
        out[name] = value
    return json.dumps(out)


def _text(value, what):
    """UTF-8 bytes of a str argument (dicts and lists are dumped as JSON)."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value).encode("utf-8")
    raise TypeError("%s: expected str, got %s" % (what, type(value).__name__))


def _status_value(status):
    if isinstance(status, str) and status.lower() in _STATUS:
        return _STATUS[status.lower()]
    if status in (0, 1) and not isinstance(status, bool):
        return status
    raise ReapiError("status: expected 'up' or 'down', got %r" % (status,), EINVAL)


def _maybe_dict(text, as_dict, what="R"):
    if not as_dict or text is None:
        return text
    if text == "":
        return {}
    try:
        return json.loads(text)
    except ValueError:
        raise ValueError("%s is not JSON in this match format (choose a JSON "
                         "match_format such as jgf or rv1 to use as_dict)" % what)


class ReapiCli:
    """A resource graph and its matcher in this process (Fluxion's
    reapi_cli).  ``ReapiCli()`` then ``initialize(rgraph, options)``; or
    ``ReapiCli(rgraph, options)`` to do both."""

    def __init__(self, rgraph=None, options="{}"):
        self._lib = _ffi.lib()
        ctx = self._lib.reapi_cli_new()
        if ctx == ffi.NULL:
            raise MemoryError("reapi_cli_new: cannot allocate a context")
        self._ctx = ffi.gc(ctx, self._lib.reapi_cli_destroy)
        self._live = None  # the context once initialized, for the fast path
        self._init = False
        self._alloc_out()
        if rgraph is not None:
            self.initialize(rgraph, options)

    def _alloc_out(self):
        # the hot calls, looked up once (a cffi library attribute lookup
        # costs about as much as reading an out-parameter)
        self._free = self._lib.eng_free
        self._c_match = self._lib.reapi_cli_match
        self._c_cancel = self._lib.reapi_cli_cancel
        self._c_info = self._lib.reapi_cli_info
        # out-parameters reused by every call: one allocation per instance,
        # not per call (the binding's overhead budget is a few microseconds)
        self._jobid = ffi.new("uint64_t *")
        self._bool = ffi.new("bool *")
        self._bool2 = ffi.new("bool *")
        self._str = ffi.new("char **")
        self._cstr = ffi.new("const char **")
        self._at = ffi.new("int64_t *")
        self._ov = ffi.new("double *")
        self._js_str = None
        self._js_bytes = None

    # ---- life cycle ------------------------------------------------------

    def close(self):
        """Free the C context now (also done by the garbage collector).
        Further calls raise ReapiError; closing twice is a no-op."""
        ctx, self._ctx, self._live = getattr(self, "_ctx", None), None, None
        if ctx is not None:
            ffi.release(ctx)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    @property
    def closed(self):
        return self._ctx is None

    def _ready(self):
        ctx = self._ctx
        if ctx is None:
            raise ReapiError("reapi_cli: the context is closed", EINVAL)
        if not self._init:
            raise ReapiError("reapi_cli: not initialized: call initialize() first", EINVAL)
        return ctx

    def _take(self, p):
        """str of the engine-allocated string 'p' (None for NULL), released
        with eng_free."""
        if not p:  # NULL
            return None
        try:
            return ffi.string(p).decode("utf-8", "replace")
        finally:
            self._free(p)

    def _raise(self, ctx, what="reapi_cli"):
        eno = ffi.errno
        msg = self._take(ffi.cast("char *", self._lib.reapi_cli_get_err_msg(ctx)))
        self._lib.reapi_cli_clear_err_msg(ctx)
        if not msg:  # Fluxion records no text for these: say what happened
            msg = "%s: %s" % (what, _PLAIN.get(eno) or os.strerror(eno))
        raise ReapiError(msg, eno)

    def initialize(self, rgraph, options="{}"):
        """Load the resource graph text 'rgraph' (JGF) with 'options' (JSON
        object text or a dict): load_format ("jgf"), prune_filters
        ("ALL:core,ALL:node"), subsystems ("containment"), policy ("first"),
        traverser_policy ("simple"), match_format ("jgf"); Fluxion's C
        names matcher_policy and matcher_name are accepted too."""
        ctx = self._ctx
        if ctx is None:
            raise ReapiError("reapi_cli: the context is closed", EINVAL)
        if self._init:
            raise ReapiError("reapi_cli_initialize: already initialized", EINVAL)
        opts = translate_options(options).encode("utf-8")
        if self._lib.reapi_cli_initialize(ctx, _text(rgraph, "rgraph"), opts) != 0:
            self._raise(ctx, "initialize")
        self._init = True
        self._live = ctx

    def clone(self):
        """An independent deep copy (graph, jobs, status, job counter)."""
        ctx = self._live or self._ready()
        c = self._lib.reapi_cli_clone(ctx)
        if c == ffi.NULL:
            self._raise(ctx, "clone")
        new = ReapiCli.__new__(ReapiCli)
        new._lib = self._lib
        new._ctx = new._live = ffi.gc(c, self._lib.reapi_cli_destroy)
        new._init = True
        new._alloc_out()
        return new

    # ---- matching --------------------------------------------------------

    def _jobspec(self, jobspec):
        # the same jobspec object is usually matched many times: encode once
        if jobspec is self._js_str:
            return self._js_bytes
        b = _text(jobspec, "jobspec")
        self._js_str, self._js_bytes = jobspec, b
        return b

    def match(self, jobspec, orelse_reserve=False, *, as_dict=False):
        """Allocate 'jobspec' (YAML or JSON text) now, or else (with
        'orelse_reserve') reserve it at the earliest time.  Returns
        ``(jobid, reserved, R, at, ov)``.  Raises ReapiError with errno
        EBUSY (not now), ENODEV (never), EINVAL (bad jobspec)."""
        ctx = self._live or self._ready()
        js = self._js_bytes if jobspec is self._js_str else self._jobspec(jobspec)
        if self._c_match(ctx, 3 if orelse_reserve else 2, js, self._jobid, self._bool,
                         self._str, self._at, self._ov) != 0:
            self._match_failed(ctx, js, orelse_reserve)
        p = self._str[0]  # _take() inlined: this is the hot path
        if p:
            R = ffi.string(p).decode("utf-8", "replace")
            self._free(p)
        else:
            R = None
        if as_dict:
            R = _maybe_dict(R, True)
        return (self._jobid[0], self._bool[0], R, self._at[0], self._ov[0])

    def _match_failed(self, ctx, js, orelse_reserve):
        # Fluxion reports EBUSY for allocate_orelse_reserve even when the
        # request could never be satisfied (e.g. more nodes than exist); one
        # satisfiability check, on the failure path only, tells them apart.
        if orelse_reserve and ffi.errno == EBUSY:
            self._lib.reapi_cli_clear_err_msg(ctx)
            if (self._lib.reapi_cli_match_satisfy(ctx, js, self._bool2, self._ov) != 0
                    and ffi.errno == ENODEV):
                self._lib.reapi_cli_clear_err_msg(ctx)
                raise ReapiError("match: request can never be satisfied", ENODEV)
            raise ReapiError("match: no resources now and no reservation possible", EBUSY)
        self._raise(ctx, "match")

    def match_op(self, op, jobspec, jobid=None, *, as_dict=False):
        """Match with any of resource-query's operations (MATCH_OPS names,
        e.g. "without_allocating"), as job 'jobid' (None: the next job
        number).  Returns ``(jobid, reserved, R, at, ov)``."""
        ctx = self._live or self._ready()
        code = MATCH_OPS.get(op)
        if code is None:
            raise ReapiError("match_op: unknown match operation '%s'" % (op,), EINVAL)
        js = self._jobspec(jobspec)
        if jobid is None:
            rc = self._lib.reapi_cli_match(ctx, code, js, self._jobid, self._bool,
                                           self._str, self._at, self._ov)
        else:
            rc = self._lib.reapi_cli_match_with_jobid(ctx, code, js, jobid, self._bool,
                                                      self._str, self._at, self._ov)
            self._jobid[0] = jobid
        if rc != 0:
            self._raise(ctx, "match_op")
        R = self._take(self._str[0])
        return (self._jobid[0], self._bool[0], _maybe_dict(R, as_dict), self._at[0],
                self._ov[0])

    def satisfiability(self, jobspec):
        """True when 'jobspec' could ever be satisfied on this graph (nothing
        is allocated), False when it never could.  Raises ReapiError for a
        malformed jobspec (EINVAL)."""
        ctx = self._live or self._ready()
        if self._lib.reapi_cli_match_satisfy(ctx, self._jobspec(jobspec), self._bool,
                                             self._ov) != 0:
            if ffi.errno == ENODEV:  # a valid answer, not an error
                self._lib.reapi_cli_clear_err_msg(ctx)
                return False
            self._raise(ctx, "satisfiability")
        return bool(self._bool[0])

    def update_allocate(self, jobid, R, *, as_dict=False):
        """Allocate to 'jobid' exactly the resources in R (RFC 20 R with a
        scheduling key, rv1exec R or JGF, str or dict).  Returns
        ``(R, at, ov)`` with R in the configured match format."""
        ctx = self._live or self._ready()
        self._cstr[0] = ffi.NULL
        if self._lib.reapi_cli_update_allocate(ctx, jobid, _text(R, "R"), self._at,
                                               self._ov, self._cstr) != 0:
            self._raise(ctx, "update_allocate")
        out = self._take(ffi.cast("char *", self._cstr[0]))
        return (_maybe_dict(out, as_dict), self._at[0], self._ov[0])

    # ---- jobs ------------------------------------------------------------

    def info(self, jobid):
        """``(mode, reserved, at, ov)`` of job 'jobid': mode "ALLOCATED",
        "RESERVED", "CANCELED"...  Raises ReapiError(ENOENT) when unknown."""
        ctx = self._live or self._ready()
        if self._c_info(ctx, jobid, self._str, self._bool, self._at, self._ov) != 0:
            self._raise(ctx, "info")
        return (self._take(self._str[0]), self._bool[0], self._at[0], self._ov[0])

    def cancel(self, jobid, noent_ok=False):
        """Release job 'jobid'.  Raises ReapiError(ENOENT) when there is no
        such live job, unless 'noent_ok'."""
        ctx = self._live or self._ready()
        if self._c_cancel(ctx, jobid, noent_ok) != 0:
            self._raise(ctx, "cancel")
        if noent_ok:
            self._lib.reapi_cli_clear_err_msg(ctx)

    def partial_cancel(self, jobid, R, noent_ok=False):
        """Release the part of job 'jobid' named by R (rv1exec R or R with a
        scheduling JGF, str or dict).  Returns True when nothing of the job
        is left (it is then fully removed)."""
        ctx = self._live or self._ready()
        self._bool2[0] = False  # left unwritten when noent_ok forgives ENOENT
        if self._lib.reapi_cli_partial_cancel(ctx, jobid, _text(R, "R"), noent_ok,
                                              self._bool2) != 0:
            self._raise(ctx, "partial_cancel")
        if noent_ok:
            self._lib.reapi_cli_clear_err_msg(ctx)
        return bool(self._bool2[0])

    # ---- graph and time --------------------------------------------------

    def find(self, criteria, format=None, *, as_dict=False):
        """Resources satisfying Fluxion's find 'criteria' ("status=down",
        "sched-now=allocated and status=up") as JSON text in 'format' (None:
        the configured match format), or None when nothing matches."""
        ctx = self._live or self._ready()
        fmt = format.encode("utf-8") if format is not None else ffi.NULL
        if self._lib.reapi_cli_find(ctx, _text(criteria, "criteria"), fmt,
                                    self._str) != 0:
            self._raise(ctx, "find")
        return _maybe_dict(self._take(self._str[0]), as_dict)

    def set_status(self, path, status):
        """Mark the vertex at containment 'path' ("/tiny0/rack0/node0") and
        its subtree "up" or "down"."""
        ctx = self._live or self._ready()
        if self._lib.reapi_cli_set_status(ctx, _text(path, "path"),
                                          _status_value(status)) != 0:
            self._raise(ctx, "set_status")

    def get_status(self, path):
        """"up" or "down": the status of the vertex at 'path'."""
        ctx = self._live or self._ready()
        st = ffi.new("resource_status_t *")
        if self._lib.reapi_cli_get_status(ctx, _text(path, "path"), st) != 0:
            self._raise(ctx, "get_status")
        return "down" if st[0] == 1 else "up"

    def set_rank_status(self, ranks, status):
        """Mark the subtrees of the ranks in idset 'ranks' ("0-3", "all")."""
        ctx = self._live or self._ready()
        if self._lib.reapi_cli_set_rank_status(ctx, _text(ranks, "ranks"),
                                               _status_value(status)) != 0:
            self._raise(ctx, "set_rank_status")

    def get_rank_status(self, rank):
        """"up" or "down": the status of the node of rank 'rank'."""
        ctx = self._live or self._ready()
        st = ffi.new("resource_status_t *")
        if self._lib.reapi_cli_get_rank_status(ctx, _text(str(rank), "rank"), st) != 0:
            self._raise(ctx, "get_rank_status")
        return "down" if st[0] == 1 else "up"

    def add_subgraph(self, subgraph):
        """Attach a JGF subgraph (str or dict) to the graph."""
        ctx = self._live or self._ready()
        if self._lib.reapi_cli_add_subgraph(ctx, _text(subgraph, "subgraph")) != 0:
            self._raise(ctx, "add_subgraph")

    def remove_subgraph(self, path):
        """Remove the subtree at containment 'path'."""
        ctx = self._live or self._ready()
        if self._lib.reapi_cli_remove_subgraph(ctx, _text(path, "path")) != 0:
            self._raise(ctx, "remove_subgraph")

    def stat(self):
        """``Stat(V, E, J, load, min, max, avg)``: vertices, edges, jobs
        matched, graph load seconds, seconds per match."""
        ctx = self._live or self._ready()
        v = ffi.new("int64_t[3]")
        d = ffi.new("double[4]")
        if self._lib.reapi_cli_stat(ctx, v, v + 1, v + 2, d, d + 1, d + 2, d + 3) != 0:
            self._raise(ctx, "stat")
        return Stat(v[0], v[1], v[2], d[0], d[1], d[2], d[3])

    def _engine(self, ctx):
        # Fallback while libschedsim.so exports no reapi_cli_set_time(): the
        # context's first member is its engine (struct reapi_cli_ctx in
        # engine/reapi_cli.c).  Checked once against reapi_cli_stat() (same
        # vertex, edge and job counts) so a changed layout fails loudly
        # instead of writing through a wrong pointer.
        e = ffi.cast("eng_t **", ctx)[0]
        if not getattr(self, "_engine_ok", False):
            st = ffi.new("struct eng_stats *")
            mine = self.stat()
            if e:
                self._lib.eng_stats_get(e, st)
            if not e or (st.vertices, st.edges, st.jobs) != (mine.V, mine.E, mine.J):
                raise ReapiError("set_time: this libschedsim.so exports no "
                                 "reapi_cli_set_time()", 95)  # ENOTSUP
            self._engine_ok = True
        return e

    def set_time(self, t):
        """Move the engine's current time to 't' integer seconds (never
        backwards).  Matches start at or after it; 'reserved' means a start
        after it.  Fluxion's standalone client behaves as time 0."""
        ctx = self._live or self._ready()
        if not isinstance(t, int) or isinstance(t, bool):
            raise TypeError("set_time: expected int seconds, got %s" % type(t).__name__)
        if _ffi.has("reapi_cli_set_time"):
            if self._lib.reapi_cli_set_time(ctx, t) != 0:
                self._raise(ctx, "set_time")
            return
        if t < 0 or self._lib.eng_time_set(self._engine(ctx), t) != 0:
            raise ReapiError("set_time: %d is before the current time %d"
                             % (t, self.get_time()), EINVAL)

    def get_time(self):
        """The engine's current time (0 until set_time())."""
        ctx = self._live or self._ready()
        if _ffi.has("reapi_cli_get_time"):
            return self._lib.reapi_cli_get_time(ctx)
        return self._lib.eng_time(self._engine(ctx))

    def __repr__(self):
        state = "closed" if self._ctx is None else (
            "initialized" if self._init else "not initialized")
        return "<schedsim.reapi_cli.ReapiCli %s>" % state

