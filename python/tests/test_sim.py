"""schedsim.sim.run: a replay from Python, results as Python objects."""

import os

import pytest

from seed_data import cluster_jgf
from schedsim import sim

SWF = """; five jobs on 4 nodes x 4 cores: one waits, one can never run
1 0 0 100 4 -1 -1 4 200 -1 1 1 1 -1 1 -1 -1 -1
2 10 0 50 8 -1 -1 8 100 -1 1 1 1 -1 1 -1 -1 -1
3 20 0 300 16 -1 -1 16 400 -1 1 1 1 -1 1 -1 -1 -1
4 30 0 10 2 -1 -1 2 20 -1 1 1 1 -1 1 -1 -1 -1
5 40 0 10 99 -1 -1 99 20 -1 1 1 1 -1 1 -1 -1 -1
"""


@pytest.fixture
def inputs(tmp_path):
    if not sim.find_schedsim():
        pytest.skip("schedsim command not found (set SCHEDSIM_BIN)")
    graph, trace = tmp_path / "g.json", tmp_path / "t.swf"
    graph.write_text(cluster_jgf(4, 4))
    trace.write_text(SWF)
    return graph, trace, tmp_path


@pytest.mark.parametrize("qpol", sim.QUEUE_POLICIES)
def test_replay(inputs, qpol):
    graph, trace, tmp = inputs
    res = sim.run(graph, trace, queue_policy=qpol, match_policy="first",
                  out=tmp / ("out-" + qpol))
    assert res.out_dir == str(tmp / ("out-" + qpol)) and os.path.isdir(res.out_dir)
    s = res.summary
    assert (s["queue_policy"], s["match_policy"]) == (qpol, "first")
    assert (s["jobs"], s["jobs_completed"], s["jobs_rejected"]) == (5, 4, 1)
    jobs = {j["id"]: j for j in res.jobs}
    assert jobs[1]["start"] == 0 and jobs[1]["end"] == 100
    assert jobs[3]["start"] >= 60 and jobs[3]["cores"] == 16
    assert jobs[5]["state"] == "rejected" and jobs[5]["start"] is None
    assert len(res.allocations) == 4
    assert isinstance(res.utilisation, list)


def test_replay_to_temporary_dir(inputs):
    graph, trace, _ = inputs
    res = sim.run(graph=str(graph), trace=str(trace))
    assert os.path.basename(res.out_dir).startswith("schedsim-run-")
    assert res.summary["queue_policy"] == "easy"


def test_replay_errors(inputs, tmp_path):
    graph, trace, _ = inputs
    with pytest.raises(sim.SimError) as e:
        sim.run(graph, trace, queue_policy="bogus")
    assert e.value.returncode == 2
    with pytest.raises(sim.SimError) as e:
        sim.run(graph, tmp_path / "missing.swf", out=tmp_path / "o")
    assert e.value.returncode == 1 and "missing.swf" in e.value.message
    with pytest.raises(sim.SimError) as e:
        sim.run(graph, trace, match_policy="no-such-policy", out=tmp_path / "o2")
    assert e.value.returncode != 0
    with pytest.raises(FileNotFoundError):
        sim.run(graph, trace, schedsim=str(tmp_path / "nothing-here"))
