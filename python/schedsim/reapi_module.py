"""ReapiModule: Fluxion's resource API on a live Flux instance
(flux_sched.reapi_module), in pure Python over flux-core's Python package.

``set_handle(h)`` takes a handle of flux-core's Python package
(``flux.Flux()``); the methods then send the RPCs Fluxion's C reapi_module
sends (resource/reapi/bindings/c++/reapi_module_impl.hpp at flux-sched
fd257f71) to the instance's ``sched-fluxion-resource`` service, and return
what ReapiCli returns.  Fluxion's own Python binding stops at set_handle().

Importing this module never needs flux-core: ``flux`` is imported only by
set_handle().  Errors raise ReapiError with the RPC's errno and message.
Differences from Fluxion's C reapi_module, on purpose:

* match() without a jobid asks the service for a free one
  (``sched-fluxion-resource.next_jobid``);
* stat() reads the ``stats-get`` reply as the service really sends it
  (V, E, load-time, match.succeeded.{njobs, stats}); Fluxion's C binding
  unpacks keys the reply does not have and always fails;
* find() and set_status() use the service's ``find`` and ``set_status``
  RPCs (Fluxion's C binding returns ENOSYS).
"""

import json

from ._errors import ReapiError, Stat

__all__ = ["ReapiModule", "ReapiError", "Stat"]

SERVICE = "sched-fluxion-resource"
EINVAL = 22
ENOENT = 2
EPROTO = 71


def _flux_handle_class():
    """flux-core's handle class, or None when its Python package is not
    importable (flux.Flux itself is a factory function, not the class)."""
    try:
        from flux.core.handle import Flux
    except ImportError:
        return None
    return Flux


def _borrow_address(cls, address):
    """A flux.Flux wrapping the C flux_t at 'address' without owning it."""
    if cls is None:
        raise TypeError("set_handle: a flux_t address needs flux-core's Python package "
                        "(run under 'flux python')")
    if address <= 0:
        raise TypeError("set_handle: %d is not a flux_t address" % address)
    from flux.core.inner import ffi
    h = cls(handle=ffi.cast("flux_t *", address))
    h.destructor = None  # borrowed: the caller's handle stays open
    return h


def _text(value, what):
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    raise TypeError("%s: expected str, got %s" % (what, type(value).__name__))


def _jobid(jobid):
    if isinstance(jobid, bool) or not isinstance(jobid, int) or not 0 <= jobid < 2 ** 63:
        raise ReapiError("jobid: expected an integer in [0, 2^63), got %r" % (jobid,),
                         EINVAL)
    return jobid


class ReapiModule:
    """The resource API of a live Fluxion (``sched-fluxion-resource``)."""

    def __init__(self, handle=None):
        self._h = None
        if handle is not None:
            self.set_handle(handle)

    @property
    def handle(self):
        """The Flux handle given to set_handle(), or None."""
        return self._h

    def set_handle(self, flux_handle):
        """Use 'flux_handle' for every call: a ``flux.Flux()``, or (as
        Fluxion's binding allows) the integer address of a C ``flux_t``,
        which is borrowed: never closed here.  Raises TypeError for anything
        else."""
        cls = _flux_handle_class()
        if cls is not None and isinstance(flux_handle, cls):
            self._h = flux_handle
            return
        if isinstance(flux_handle, int) and not isinstance(flux_handle, bool):
            self._h = _borrow_address(cls, flux_handle)
            return
        # A handle-like object (flux.Flux's rpc(topic, payload) returning a
        # future with get()) is accepted too, so the RPC layer can be tested
        # and proxied without a broker.
        if callable(getattr(flux_handle, "rpc", None)) and not isinstance(flux_handle, type):
            self._h = flux_handle
            return
        why = ("flux-core's Python package is not importable here; run under "
               "'flux python'" if cls is None else "create one with flux.Flux()")
        raise TypeError("set_handle: expected a flux.Flux handle, got %s (%s)"
                        % (type(flux_handle).__name__, why))

    def _rpc(self, method, payload=None):
        if self._h is None:
            raise ReapiError("reapi_module: no Flux handle: call set_handle(flux.Flux()) "
                             "first", EINVAL)
        try:
            resp = self._h.rpc("%s.%s" % (SERVICE, method), payload).get()
        except OSError as e:
            text = e.strerror or ""
            raise ReapiError("%s.%s: %s" % (SERVICE, method, text), e.errno or 0) from None
        return resp if resp is not None else {}

    @staticmethod
    def _field(resp, key, kind, method):
        value = resp.get(key)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise ReapiError("%s.%s: malformed reply (%s)" % (SERVICE, method, key), EPROTO)
        return value

    # ---- matching --------------------------------------------------------

    def next_jobid(self):
        """A job id the service does not know yet."""
        return self._field(self._rpc("next_jobid", {}), "jobid", int, "next_jobid")

    def match(self, jobspec, orelse_reserve=False, jobid=None, *, as_dict=False):
        """Allocate 'jobspec' now (cmd allocate_with_satisfiability), or
        else reserve it (allocate_orelse_reserve), as job 'jobid' (None: the
        service's next free id).  Returns ``(jobid, reserved, R, at, ov)``;
        raises ReapiError with EBUSY (not now) or ENODEV (never)."""
        cmd = "allocate_orelse_reserve" if orelse_reserve else "allocate_with_satisfiability"
        js = _text(jobspec, "jobspec")
        if not js:
            raise ReapiError("match: empty jobspec", EINVAL)
        jid = self.next_jobid() if jobid is None else _jobid(jobid)
        resp = self._rpc("match", {"cmd": cmd, "jobid": jid, "jobspec": js})
        return self._match_reply(resp, jid, "match", as_dict)

    def _match_reply(self, resp, jid, method, as_dict):
        rj = self._field(resp, "jobid", int, method)
        status = self._field(resp, "status", str, method)
        ov = float(self._field(resp, "overhead", (int, float), method))
        R = self._field(resp, "R", str, method)
        at = self._field(resp, "at", int, method)
        if rj != jid:
            raise ReapiError("%s.%s: reply for job %d, asked %d" % (SERVICE, method, rj, jid),
                             EINVAL)
        if as_dict:
            R = json.loads(R) if R else {}
        return rj, status == "RESERVED", R, at, ov

    def update_allocate(self, jobid, R, *, as_dict=False):
        """Allocate to 'jobid' exactly the resources in R.  Returns
        ``(R, at, ov)``."""
        jid = _jobid(jobid)
        text = _text(R, "R")
        if not text:
            raise ReapiError("update_allocate: empty R", EINVAL)
        resp = self._rpc("update", {"jobid": jid, "R": text})
        status = self._field(resp, "status", str, "update")
        rj, _, out, at, ov = self._match_reply(resp, jid, "update", as_dict)
        if status != "ALLOCATED":
            raise ReapiError("%s.update: job %d is %s, not ALLOCATED" % (SERVICE, jid, status),
                             EPROTO)
        return out, at, ov

    # ---- jobs ------------------------------------------------------------

    def info(self, jobid):
        """``(mode, reserved, at, ov)`` of job 'jobid'."""
        jid = _jobid(jobid)
        resp = self._rpc("info", {"jobid": jid})
        rj = self._field(resp, "jobid", int, "info")
        mode = self._field(resp, "status", str, "info")
        at = self._field(resp, "at", int, "info")
        ov = float(self._field(resp, "overhead", (int, float), "info"))
        if rj != jid:
            raise ReapiError("%s.info: reply for job %d, asked %d" % (SERVICE, rj, jid), EINVAL)
        return mode, mode == "RESERVED", at, ov

    def cancel(self, jobid, noent_ok=False):
        """Release job 'jobid' (ENOENT unless 'noent_ok' when unknown)."""
        try:
            self._rpc("cancel", {"jobid": _jobid(jobid)})
        except ReapiError as e:
            if not (noent_ok and e.errno == ENOENT):
                raise

    def partial_cancel(self, jobid, R, noent_ok=False):
        """Release the part of 'jobid' named by R.  True when nothing of the
        job is left."""
        jid = _jobid(jobid)
        text = _text(R, "R")
        if not text:
            raise ReapiError("partial_cancel: empty R", EINVAL)
        try:
            resp = self._rpc("partial-cancel", {"jobid": jid, "R": text})
        except ReapiError as e:
            if noent_ok and e.errno == ENOENT:
                return False
            raise
        return bool(self._field(resp, "full-removal", int, "partial-cancel"))

    # ---- service state ---------------------------------------------------

    def stat(self):
        """``Stat(V, E, J, load, min, max, avg)`` from ``stats-get``."""
        resp = self._rpc("stats-get", {})
        ok = resp.get("match", {}).get("succeeded", {})
        st = ok.get("stats", {})
        try:
            return Stat(int(resp["V"]), int(resp["E"]), int(ok.get("njobs", 0)),
                        float(resp.get("load-time", 0.0)), float(st.get("min", 0.0)),
                        float(st.get("max", 0.0)), float(st.get("avg", 0.0)))
        except (KeyError, TypeError, ValueError):
            raise ReapiError("%s.stats-get: malformed reply" % SERVICE, EPROTO) from None

    def find(self, criteria, format=None, *, as_dict=False):
        """Resources satisfying 'criteria' (JSON text, or a dict with
        'as_dict'); None when nothing matches."""
        payload = {"criteria": _text(criteria, "criteria")}
        if format is not None:
            payload["format"] = format
        R = self._rpc("find", payload).get("R")
        if R is None:
            return None
        return R if as_dict else json.dumps(R, separators=(",", ":"))

    def set_status(self, path, status):
        """Mark the vertex at 'path' "up" or "down"."""
        if status not in ("up", "down"):
            raise ReapiError("status: expected 'up' or 'down', got %r" % (status,), EINVAL)
        self._rpc("set_status", {"resource_path": _text(path, "path"), "status": status})

    def __repr__(self):
        return "<schedsim.reapi_module.ReapiModule %s>" % (
            "no handle" if self._h is None else "on %r" % (self._h,))
