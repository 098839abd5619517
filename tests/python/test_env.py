"""RoutingEnv: the Gymnasium interface, one step per routing decision,
rewards that add up to the run's latencies, determinism by seed, episodes
ended early."""
import numpy as np
import pytest

import edgesim


def play(env, seed, pick=lambda info: int(np.flatnonzero(info["action_mask"])[-1])):
    obs, info = env.reset(seed=seed)
    total, steps, trace = 0.0, 0, []
    while True:
        assert env.observation_space.contains(obs)
        a = pick(info)
        obs, r, term, trunc, info = env.step(a)
        trace.append((a, r))
        total += r
        steps += 1
        assert trunc is False
        if term:
            return steps, total, trace, info["result"]


def test_spaces_describe_the_scenario(tiny):
    env = edgesim.RoutingEnv(tiny)
    assert env.action_space.n == 2 and env.observation_space.shape == (4 * 2 + 1,)
    assert env.action_space.contains(1) and not env.action_space.contains(2)
    obs, info = env.reset(seed=1)
    # n1: a candidate, nothing in flight, no idle instance, 1 ms away
    assert list(obs[:4]) == [1.0, 0.0, 0.0, 1.0] and obs[-1] == 1.0
    assert info["function"] == "f" and list(info["action_mask"]) == [1, 1]
    assert info["now"] == 0
    env.close()


def test_rewards_add_up_to_minus_the_latencies_of_the_run(tiny):
    env = edgesim.RoutingEnv(tiny)
    steps, total, _, result = play(env, 1)
    assert steps == 100  # one step per decision
    f = result.table("functions").to_dict("records")[0]
    assert f["failed"] == f["rejected"] == 0
    assert total == pytest.approx(-f["latency_mean_s"] * f["ok"], rel=1e-6)


def test_a_node_that_is_not_a_candidate_refuses_and_costs_the_penalty(tiny):
    t = dict(tiny, deployments=[{"function": "f", "strategy": "nodes", "nodes": ["n2"]}])
    env2 = edgesim.RoutingEnv(t, failure_penalty=2.0)
    steps, total, trace, result = play(env2, 1, pick=lambda info: 0)  # n1: never a candidate
    assert result.summary["outcomes"]["no_eligible_node"] == steps == 100
    assert total == pytest.approx(-2.0 * 100)


def test_a_penalty_that_is_not_a_finite_number_is_refused(tiny):
    # NaN or an infinity would make every reward after the first failure NaN
    for bad in (float("nan"), float("inf"), -float("inf"), "lots", None, True):
        with pytest.raises(ValueError, match="failure_penalty"):
            edgesim.RoutingEnv(tiny, failure_penalty=bad)
    assert edgesim.RoutingEnv(tiny, failure_penalty="0.5").failure_penalty == 0.5


def test_same_seed_same_episode_other_seed_other_episode():
    sc = "scenarios/quickstart.json"
    env = edgesim.RoutingEnv(sc, set={"duration": "10s"})
    a = play(env, 3)
    b = play(env, 3)
    c = play(env, 4)
    assert a[0] == b[0] and a[2] == b[2] and a[3].fingerprint == b[3].fingerprint
    assert a[3].fingerprint != c[3].fingerprint


def test_closing_mid_episode_and_starting_again(tiny):
    env = edgesim.RoutingEnv(tiny)
    env.reset(seed=1)
    for _ in range(10):
        env.step(1)
    env.close()
    with pytest.raises(edgesim.RunError, match="before reset"):
        env.step(0)
    assert play(env, 1)[0] == 100
    with pytest.raises(ValueError):
        env.reset(seed=1)
        env.step(7)
    env.close()


@pytest.mark.parametrize("action", [True, -1, 2, 1.0, "1", None])
def test_an_action_that_is_not_a_node_index_is_refused(tiny, action):
    # True is an int to Python; as an action it would route to node 1 unnoticed
    env = edgesim.RoutingEnv(tiny)
    env.reset(seed=1)
    with pytest.raises(ValueError, match=r"action: expected a node index in \[0, 2\)"):
        env.step(action)
    env.close()


@pytest.mark.parametrize("seed", [-1, 2**53, True, "x"])
def test_a_bad_seed_is_refused_with_the_runs_message(tiny, seed):
    env = edgesim.RoutingEnv(tiny)
    with pytest.raises(ValueError, match="seed: expected a whole number from 0 to 9007199254740991"):
        env.reset(seed=seed)


def test_a_numpy_seed_is_a_seed(tiny):
    env = edgesim.RoutingEnv(tiny)
    assert play(env, np.int64(3))[2] == play(env, 3)[2]


def test_an_environment_dropped_mid_episode_is_collected_and_its_thread_ends(tiny):
    # The worker thread waiting for an action held the environment (its
    # bound methods), so an environment dropped without close() was never
    # collected: its thread and its simulation stayed for the life of the
    # process, one more per episode abandoned that way.
    import gc
    import threading
    import time
    import weakref
    before = threading.active_count()
    refs = []
    for k in range(5):
        env = edgesim.RoutingEnv(tiny)
        env.reset(seed=k)
        env.step(0)
        refs.append(weakref.ref(env))
        del env
    gc.collect()
    assert all(r() is None for r in refs)
    deadline = time.monotonic() + 10
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == before
