"""ReapiModule: RPC payloads checked against a recording stand-in handle
(always), and the real thing against a live Flux with Fluxion (when the
tests run under 'flux start ... flux python -m pytest', see python/README.md;
skipped with the reason otherwise)."""

import errno
import importlib.util
import json
import os

import pytest

from seed_data import JOBSPEC
from schedsim.reapi_module import ReapiError, ReapiModule, Stat


class Future:
    def __init__(self, reply):
        self.reply = reply

    def get(self):
        if isinstance(self.reply, OSError):
            raise self.reply
        return self.reply


class FakeHandle:
    """Answers like sched-fluxion-resource; records (topic, payload)."""

    def __init__(self, replies):
        self.replies = replies
        self.calls = []

    def rpc(self, topic, payload=None):
        self.calls.append((topic, payload))
        reply = self.replies[topic.split(".", 1)[1]]
        return Future(reply(payload) if callable(reply) else reply)


def match_reply(p):
    return {"jobid": p["jobid"], "status": "ALLOCATED", "overhead": 0.5, "R": "{}", "at": 0}


@pytest.fixture
def fake():
    return FakeHandle({
        "next_jobid": {"jobid": 17},
        "match": match_reply,
        "info": {"jobid": 5, "status": "RESERVED", "at": 99, "overhead": 0.25},
        "cancel": {},
        "partial-cancel": {"full-removal": 1},
        "update": lambda p: dict(match_reply(p), R=p["R"]),
        "stats-get": {"V": 10, "E": 9, "load-time": 0.1, "match": {"succeeded": {
            "njobs": 3, "stats": {"min": 0.1, "max": 0.3, "avg": 0.2}}}},
        "find": {"R": {"version": 1}},
        "set_status": None,
    })


def test_import_and_state_errors_without_flux():
    m = ReapiModule()
    assert m.handle is None
    with pytest.raises(ReapiError) as e:
        m.match(JOBSPEC)
    assert e.value.errno == errno.EINVAL and "set_handle" in str(e.value)
    for bad in ("flux", None, object(), FakeHandle, True):
        with pytest.raises(TypeError, match="expected a flux.Flux handle"):
            m.set_handle(bad)
    with pytest.raises(TypeError, match="flux_t address"):
        m.set_handle(0x1234 if _no_flux() else -1)


def _no_flux():
    return importlib.util.find_spec("flux") is None


def test_payloads_as_fluxion_sends_them(fake):
    m = ReapiModule()
    m.set_handle(fake)
    assert m.match(JOBSPEC) == (17, False, "{}", 0, 0.5)
    assert fake.calls[-1] == ("sched-fluxion-resource.match", {
        "cmd": "allocate_with_satisfiability", "jobid": 17, "jobspec": JOBSPEC})
    m.match(json.loads(JOBSPEC), orelse_reserve=True, jobid=3)
    assert fake.calls[-1][1]["cmd"] == "allocate_orelse_reserve"
    assert fake.calls[-1][1]["jobid"] == 3
    assert m.info(5) == ("RESERVED", True, 99, 0.25)
    assert fake.calls[-1] == ("sched-fluxion-resource.info", {"jobid": 5})
    m.cancel(5)
    assert fake.calls[-1] == ("sched-fluxion-resource.cancel", {"jobid": 5})
    assert m.partial_cancel(5, "R") is True
    assert fake.calls[-1] == ("sched-fluxion-resource.partial-cancel", {"jobid": 5, "R": "R"})
    assert m.update_allocate(5, "{}") == ("{}", 0, 0.5)
    assert fake.calls[-1] == ("sched-fluxion-resource.update", {"jobid": 5, "R": "{}"})
    assert m.stat() == Stat(10, 9, 3, 0.1, 0.1, 0.3, 0.2)
    assert fake.calls[-1][0] == "sched-fluxion-resource.stats-get"
    assert m.find("status=up", as_dict=True) == {"version": 1}
    m.set_status("/c0/n0", "down")
    assert fake.calls[-1][1] == {"resource_path": "/c0/n0", "status": "down"}


def test_rpc_errors_become_reapi_errors(fake):
    fake.replies["match"] = OSError(errno.EBUSY, "Device or resource busy")
    fake.replies["cancel"] = OSError(errno.ENOENT, "No such file or directory")
    fake.replies["partial-cancel"] = OSError(errno.ENOENT, "No such file or directory")
    fake.replies["info"] = {"jobid": 6, "status": "ALLOCATED", "at": 0, "overhead": 0}
    m = ReapiModule(fake)
    with pytest.raises(ReapiError) as e:
        m.match(JOBSPEC)
    assert e.value.errno == errno.EBUSY
    assert str(e.value) == "sched-fluxion-resource.match: Device or resource busy"
    with pytest.raises(ReapiError) as e:
        m.cancel(1)
    assert e.value.errno == errno.ENOENT
    m.cancel(1, noent_ok=True)
    assert m.partial_cancel(1, "R", noent_ok=True) is False
    with pytest.raises(ReapiError) as e:
        m.info(5)  # reply names another job
    assert e.value.errno == errno.EINVAL
    for call in (lambda: m.info(-1), lambda: m.cancel("1"), lambda: m.match("")):
        with pytest.raises(ReapiError) as e:
            call()
        assert e.value.errno == errno.EINVAL
    with pytest.raises(ReapiError):
        m.set_status("/c0", "sideways")
    fake.replies["stats-get"] = {"nothing": 1}
    with pytest.raises(ReapiError) as e:
        m.stat()
    assert e.value.errno == errno.EPROTO


# ---- a live Flux instance -----------------------------------------------------

def live_module():
    try:
        import flux
    except ImportError:
        pytest.skip("flux-core's Python package is not importable: run these tests "
                    "under 'flux start ... flux python -m pytest' (python/README.md)")
    if not os.environ.get("FLUX_URI"):
        pytest.skip("no Flux instance (FLUX_URI unset): run under 'flux start'")
    h = flux.Flux()
    try:
        h.rpc("sched-fluxion-resource.stats-get", {}).get()
    except OSError as e:
        pytest.skip("this Flux instance has no Fluxion resource module: %s" % e)
    m = ReapiModule()
    m.set_handle(h)
    return m


def test_live_flux_match_info_cancel():
    m = live_module()
    st = m.stat()
    assert st.V > 0 and st.E > 0
    jobid, reserved, R, at, ov = m.match(JOBSPEC)
    assert reserved is False and ov >= 0
    r = json.loads(R)
    assert r["execution"]["R_lite"][0]["children"]["core"]
    mode, reserved, at2, ov2 = m.info(jobid)
    assert (mode, reserved, at2) == ("ALLOCATED", False, at)
    assert m.find("sched-now=allocated", as_dict=True)["execution"]["R_lite"]
    m.cancel(jobid)
    with pytest.raises(ReapiError) as e:
        m.cancel(jobid)
    assert e.value.errno == errno.ENOENT
    m.cancel(jobid, noent_ok=True)


def test_live_flux_partial_cancel_and_errors():
    m = live_module()
    jobid, _, R, _, _ = m.match(JOBSPEC)
    assert m.partial_cancel(jobid, R) is True
    with pytest.raises(ReapiError) as e:
        m.info(jobid)
    assert e.value.errno == errno.ENOENT
    big = json.loads(JOBSPEC)
    big["resources"][0]["count"] = 1000000
    with pytest.raises(ReapiError) as e:
        m.match(json.dumps(big))
    assert e.value.errno == errno.ENODEV
    with pytest.raises(ReapiError) as e:
        m.match("this is not a jobspec")
    assert e.value.errno == errno.EINVAL


def test_live_flux_seed_module_block():
    """The seed's ReapiModule section, as written (import line aside)."""
    live_module()
    import flux
    from schedsim.reapi_module import ReapiModule as SeedModule
    h = flux.Flux()
    mod = SeedModule()
    mod.set_handle(h)
    assert mod.handle is h


def test_live_flux_handle_by_address():
    """Fluxion's binding also takes the C handle's address; it is borrowed."""
    live_module()
    import flux
    from flux.core.inner import ffi
    h = flux.Flux()
    mod = ReapiModule()
    mod.set_handle(int(ffi.cast("uintptr_t", h.handle)))
    assert mod.stat().V > 0
    mod.set_handle(h)  # the borrowed wrapper is dropped: h must still work
    del mod
    import gc
    gc.collect()
    assert h.rpc("sched-fluxion-resource.stats-get", {}).get()["V"] > 0
