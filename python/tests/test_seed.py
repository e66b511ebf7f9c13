"""The seed document (Fluxion's Python binding README) as tests: its code,
its JGF and its jobspec, with only the import line changed."""

import errno
import json
import os
import re

import pytest

from conftest import SHARED, read
from seed_data import JOBSPEC, OPTIONS, RGRAPH
from schedsim.reapi_cli import ReapiCli, ReapiError

SEED = os.path.join(SHARED, "seed", "000_355b26c35a4ee521.txt")


def test_walkthrough_as_written():
    """Sections 1-5 of the seed's 'Usage ReapiCli', in order."""
    # 1. Initialization (Loading JGF)
    cli = ReapiCli()
    cli.initialize(RGRAPH, OPTIONS)
    # 2. Matching & Allocation
    jobid, reserved, R, at, ov = cli.match(JOBSPEC, orelse_reserve=False)
    assert (jobid, reserved, at) == (1, False, 0)
    assert isinstance(R, str) and isinstance(ov, float) and ov >= 0
    cores = [n for n in json.loads(R)["graph"]["nodes"] if n["metadata"]["type"] == "core"]
    assert [c["metadata"]["paths"]["containment"] for c in cores] == [
        "/tiny0/rack0/node0/core0"]
    # 3. Querying Job Info
    mode, is_reserved, at, ov = cli.info(jobid)
    assert (mode, is_reserved, at) == ("ALLOCATED", False, 0)
    # 4. Cancellation
    cli.cancel(jobid)
    info = cli.info(jobid)
    assert info[0] == "CANCELED"
    # 5. Partial Cancellation: the seed's R_subset is a placeholder and its
    # job is already canceled, so the call fails (ENOENT: no allocation)
    R_subset = '{"rank": 0, "children": ...}'
    with pytest.raises(ReapiError) as e:
        cli.partial_cancel(jobid, R_subset)
    assert e.value.errno == errno.ENOENT


def test_one_core_graph_is_busy_then_free():
    """The seed's graph has one core: a second job is busy, not impossible."""
    with ReapiCli(RGRAPH, OPTIONS) as cli:
        jobid = cli.match(JOBSPEC)[0]
        with pytest.raises(ReapiError) as e:
            cli.match(JOBSPEC)
        assert e.value.errno == errno.EBUSY
        jobid2, reserved, R, at, ov = cli.match(JOBSPEC, orelse_reserve=True)
        assert (jobid2, reserved, at) == (jobid + 2, True, 3600)
        assert cli.info(jobid2)[:3] == ("RESERVED", True, 3600)
        cli.cancel(jobid)
        cli.cancel(jobid2)
        assert cli.match(JOBSPEC)[1:4:2] == (False, 0)


def test_seed_policy_and_subsystems_are_applied():
    """'policy' and 'subsystems' reach the engine (Fluxion ignores them)."""
    bad = json.loads(OPTIONS)
    bad["policy"] = "no-such-policy"
    with pytest.raises(ReapiError) as e:
        ReapiCli().initialize(RGRAPH, json.dumps(bad))
    assert e.value.errno == errno.EPROTO
    bad = json.loads(OPTIONS)
    bad["subsystems"] = "no-such-subsystem"
    with pytest.raises(ReapiError) as e:
        ReapiCli().initialize(RGRAPH, json.dumps(bad))
    assert e.value.errno == errno.EINVAL


def _seed_blocks():
    if not os.path.exists(SEED):
        pytest.skip("seed document not found: %s (set SCHEDSIM_SHARED_DIR)" % SEED)
    return re.findall(r"```python\n(.*?)```", read(SEED), re.S)


def _runnable(code):
    """The seed's code with its import line pointed at schedsim.  The seed's
    section 2 opens a 'try:' it never closes (a SyntaxError as printed), so
    a bare re-raise is appended to such a block: nothing else changes."""
    code = code.replace("from flux_sched.", "from schedsim.")
    if re.search(r"^try:\s*$", code, re.M) and not re.search(r"^(except|finally)", code, re.M):
        code += "except ReapiError:\n    raise\n"
    return code


def test_seed_document_code_runs():
    """Execute the seed's Python blocks, in order, in one namespace."""
    blocks = _seed_blocks()
    assert len(blocks) == 6
    ns = {}
    for code in blocks[:4]:
        exec(compile(_runnable(code), "<seed>", "exec"), ns)
    assert ns["mode"] == "ALLOCATED" and ns["info"][0] == "CANCELED"
    assert ns["jobid"] == 1 and ns["reserved"] is False
    with pytest.raises(ReapiError):  # section 5's placeholder R, job canceled
        exec(compile(_runnable(blocks[4]), "<seed>", "exec"), ns)


def test_seed_module_block_imports_without_flux():
    """Section 'ReapiModule': importing our module never needs flux."""
    code = _runnable(_seed_blocks()[5])
    assert "from schedsim.reapi_module import ReapiModule" in code
    ns = {}
    exec("from schedsim.reapi_module import ReapiModule", ns)
    assert ns["ReapiModule"]().handle is None
