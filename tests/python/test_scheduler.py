"""Python routing policies (scheduler=): what the callback is given, what its
answers do, determinism, and errors that end the run with a SchedulerError
naming the function and the answer, never a crash."""
import random

import pytest

import edgesim
from conftest import QUICK, SHORT


def test_candidates_are_the_deployed_usable_nodes_with_their_load(tiny):
    seen = []

    def policy(fid, cands, now):
        seen.append((fid, now, cands))
        return 0

    r = edgesim.run(tiny, scheduler=policy)
    assert len(seen) == r.invocations == 100  # every 100 ms in [0, 10 s)
    fid, now, cands = seen[0]
    assert fid == "f" and now == 0 and seen[1][1] == pytest.approx(0.1)
    assert [(c.node, c.region, c.node_index) for c in cands] == [("n1", "r", 0), ("n2", "r", 1)]
    # the network's default: 1 ms within a region (docs/scenario.md)
    assert all(isinstance(c, edgesim.Candidate) and c.latency == 0.001 for c in cands)
    # always the first candidate: n1 takes everything. By hand: t=0 cold
    # (100 ms + 50 ms, done 0.15); t=0.1 cold too (no idle instance yet, done
    # 0.25); t=0.2 warm on 0's instance (done 0.25); from then on two idle
    # instances take turns, every run 50 ms < the 100 ms between arrivals
    load = [[(c.in_flight, c.idle_warm) for c in cs] for _, _, cs in seen]
    assert load[:4] == [[(0, 0), (0, 0)], [(1, 0), (0, 0)], [(1, 1), (0, 0)],
                        [(0, 2), (0, 0)]]
    assert all(x == [(0, 2), (0, 0)] for x in load[3:])
    nodes = r.table("nodes").set_index("node")
    assert nodes.loc["n1", "invocations"] == 100 and nodes.loc["n2", "invocations"] == 0
    assert r.summary["scheduler"] == "python:policy"


def test_none_refuses_the_invocation(tiny):
    r = edgesim.run(tiny, scheduler=lambda fid, cands, now: None)
    assert r.summary["outcomes"]["no_eligible_node"] == 100
    assert r.summary["outcomes"]["ok"] == 0


def test_a_seeded_python_policy_is_deterministic():
    def make(seed):
        rng = random.Random(seed)
        return lambda fid, cands, now: rng.randrange(len(cands))

    a = edgesim.run(QUICK, set=SHORT, scheduler=make(1)).fingerprint
    b = edgesim.run(QUICK, set=SHORT, scheduler=make(1)).fingerprint
    c = edgesim.run(QUICK, set=SHORT, scheduler=make(2)).fingerprint
    assert a == b != c


def test_the_policy_may_read_the_simulation_but_not_advance_it(tiny):
    box = {}

    def policy(fid, cands, now):
        box["busy"] = int(sim.nodes()["busy"].sum())
        if now > 1:
            sim.step()
        return 0

    sim = edgesim.Simulation(tiny, scheduler=policy)
    with pytest.raises(edgesim.SchedulerError, match="RunError: a scheduler callback may read"):
        sim.run_until("5s")
    assert "busy" in box

    def closer(fid, cands, now):
        other.close()
        return 0

    other = edgesim.Simulation(tiny, scheduler=closer)
    with pytest.raises(edgesim.SchedulerError, match="not close it"):
        other.run_until("1s")
    other.close()  # outside the callback: fine


@pytest.mark.parametrize("answer", [2, -1, 99, "0", 1.0, True])
def test_bad_answers_end_the_run_naming_function_and_answer(tiny, answer):
    sim = edgesim.Simulation(tiny, scheduler=lambda fid, cands, now: answer)
    with pytest.raises(edgesim.SchedulerError) as e:
        sim.run_until("5s")
    msg = str(e.value)
    assert "function f" in msg and repr(answer) in msg and "2 candidate(s)" in msg
    assert sim.now == 0  # the first decision
    with pytest.raises(edgesim.RunError, match="failed earlier"):
        sim.step()  # the run is over; no crash
    sim.close()


def test_an_exception_in_the_policy_is_the_cause(tiny):
    def policy(fid, cands, now):
        return {}[fid]

    with pytest.raises(edgesim.SchedulerError) as e:
        edgesim.run(tiny, scheduler=policy)
    assert "raised KeyError" in str(e.value) and "function f" in str(e.value)
    assert isinstance(e.value.__cause__, KeyError)


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_ctrl_c_or_exit_in_the_policy_comes_out_as_itself(tiny, stop):
    # wrapped in a SchedulerError, an `except KeyboardInterrupt` around a long
    # run missed the user's Ctrl-C
    def policy(fid, cands, now):
        raise stop()

    with pytest.raises(stop):
        edgesim.run(tiny, scheduler=policy)


def test_not_callable_is_refused(tiny):
    with pytest.raises(TypeError):
        edgesim.Simulation(tiny, scheduler=3)


def test_a_built_in_policy_by_name_is_the_same_as_setting_it():
    by_name = edgesim.run(QUICK, set=SHORT, scheduler="round_robin")
    by_set = edgesim.run(QUICK, set=dict(SHORT, **{"policies.scheduler": "round_robin"}))
    default = edgesim.run(QUICK, set=SHORT)
    assert by_name.summary["scheduler"] == "round_robin"
    assert by_name.fingerprint == by_set.fingerprint != default.fingerprint
    # the argument wins over set
    over = edgesim.run(QUICK, set=dict(SHORT, **{"policies.scheduler": "random"}),
                       scheduler="round_robin")
    assert over.fingerprint == by_name.fingerprint


def test_an_unknown_policy_name_lists_the_known_ones(tiny):
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.Simulation(tiny, scheduler="round_robbin")
    assert "policies.scheduler" in str(e.value) and "round_robin" in str(e.value)
