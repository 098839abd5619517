"""RoutingEnv: routing decisions as a reinforcement-learning environment.

The Gymnasium interface without the gymnasium package (Debian does not ship
it): reset(seed=...) -> (obs, info); step(action) -> (obs, reward,
terminated, truncated, info); observation_space and action_space describe
themselves (shape, bounds, sample(), contains()).

One step is one routing decision. The simulation runs in C on a worker
thread; at each decision the Python router hands the observation to the
caller and waits for the action, so the two threads alternate strictly and
an episode is as deterministic as a run: same seed, same actions -> same
observations and rewards.

Observation (numpy float64, shape (4 * nodes + functions,)): for every node
of the scenario, in order, [candidate (1/0), in_flight, idle_warm,
latency_ms] (zeros for a node that is not a candidate), then a one-hot of
the function being routed. info has "function", "candidates" (a list of
Candidate), "action_mask" (1 for the nodes that are candidates) and "now".

Action: a node index (Discrete(nodes)). A node that is not a candidate
refuses the invocation (no_eligible_node), as a policy answering None does.

Reward of a step: minus the sum of the end-to-end latencies, in seconds, of
the invocations that completed OK since the previous decision, minus
failure_penalty (default 1.0) for each invocation that failed or was
rejected since then. The final step (terminated=True) carries what happened
between the last decision and the end of the run; its info has "result"
(the run's Result).
"""
import math
import queue
import threading
import weakref

import numpy as np

from . import _SEED_MAX, RunError, Simulation

_ABORT = object()


class Discrete:
    """The actions {0, ..., n-1} (gymnasium.spaces.Discrete's interface)."""

    def __init__(self, n, seed=None):
        self.n = int(n)
        self.shape = ()
        self.dtype = np.int64
        self._rng = np.random.default_rng(seed)

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def sample(self, mask=None):
        if mask is not None:
            idx = np.flatnonzero(np.asarray(mask))
            return int(self._rng.choice(idx)) if len(idx) else 0
        return int(self._rng.integers(self.n))

    def contains(self, x):
        return (isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))
                and 0 <= int(x) < self.n)

    def __repr__(self):
        return "Discrete(%d)" % self.n


class Box:
    """A box of float64 vectors (gymnasium.spaces.Box's interface)."""

    def __init__(self, low, high, shape):
        self.low = np.full(shape, low, dtype=np.float64)
        self.high = np.full(shape, high, dtype=np.float64)
        self.shape = tuple(shape)
        self.dtype = np.float64

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def sample(self):
        return np.zeros(self.shape)

    def __repr__(self):
        return "Box(%s, %s, %s)" % (self.low.min(), self.high.max(), self.shape)


def _router(wenv, actions, events):
    """The episode's routing policy: hands the decision to the caller's
    thread and answers its action (holding the environment only while it
    reads it)."""
    def decide(fid, cands, now):
        env = wenv()
        if env is None:
            raise RunError("episode closed")
        event = env._observe(fid, cands, now)
        del env
        events.put(event)
        action = actions.get()
        if action is _ABORT:
            raise RunError("episode closed")
        for i, c in enumerate(cands):
            if c.node_index == action:
                return i
        return None
    return decide


def _work(wenv, sim, events):
    """The worker thread: runs the episode to its end."""
    try:
        sim.run_until(sim.end)
        env = wenv()
        reward = env._reward() if env is not None else 0.0  # from the last decision to the end
        del env
        result = sim.finish()
        events.put(("end", None, reward, {"result": result}))
    except BaseException as e:  # handed to the caller's thread
        events.put(("error", e, 0.0, {}))


def _abandon(actions):
    """An environment collected mid-episode: its router stops waiting."""
    actions.put(_ABORT)


class RoutingEnv:
    """RoutingEnv(scenario, set=None, seed=None, failure_penalty=1.0,
    allow_plugins=False, sandbox_paths=False, max_events=None,
    max_memory=None, max_output=None)

    Each routing decision of the scenario's run is a step (see the module's
    documentation for observation, action and reward). reset(seed=...)
    starts an episode (a new run with that seed, or the constructor's, or
    the scenario's); close() ends one early. The trust and limit options
    are Simulation's, for every episode (a scenario with a keep-alive
    plugin, say, needs allow_plugins=True here as there)."""

    metadata = {"render_modes": []}

    def __init__(self, scenario, set=None, seed=None, failure_penalty=1.0, allow_plugins=False,
                 sandbox_paths=False, max_events=None, max_memory=None, max_output=None):
        self._scenario, self._set, self._seed = scenario, set, seed
        self._options = {"allow_plugins": allow_plugins, "sandbox_paths": sandbox_paths,
                         "max_events": max_events, "max_memory": max_memory,
                         "max_output": max_output}
        try:
            penalty = float(failure_penalty)
        except (TypeError, ValueError):
            penalty = math.nan
        if isinstance(failure_penalty, bool) or not math.isfinite(penalty):
            # a NaN or an infinity would make every reward after a failure NaN
            raise ValueError("failure_penalty: expected a finite number of seconds, found %r"
                             % (failure_penalty,))
        self.failure_penalty = penalty
        probe = Simulation(scenario, seed=seed, set=set, **self._options)
        self._nodes = len(probe._node_ids)
        self._functions = len(probe._fn_ids)
        self.node_ids = list(probe._node_ids)
        self.function_ids = list(probe._fn_ids)
        probe.close()
        self.action_space = Discrete(self._nodes)
        self.observation_space = Box(0.0, np.inf, (4 * self._nodes + self._functions,))
        self._sim = None
        self._thread = None
        self._actions = self._events = None
        self._finalizer = None

    # -- the worker side -------------------------------------------------------
    # The worker thread and the router it runs hold the environment weakly:
    # while it waits for an action it holds only the queues, so an
    # environment dropped without close() is collected, and its finalizer
    # (_abandon) ends the episode's run and thread instead of leaving them
    # blocked for the life of the process.
    def _totals(self):
        ok_lat = bad = 0.0
        for row in self._sim._function_rows():
            ok_lat += row["latency_sum_ms"] / 1e3
            bad += row["failed"] + row["rejected"]
        return ok_lat, bad

    def _reward(self):
        lat, bad = self._totals()
        r = -(lat - self._last[0]) - self.failure_penalty * (bad - self._last[1])
        self._last = (lat, bad)
        return r

    def _observe(self, fid, cands, now):
        obs = np.zeros(self.observation_space.shape)
        mask = np.zeros(self._nodes, dtype=np.int8)
        for c in cands:
            k = 4 * c.node_index
            obs[k:k + 4] = (1.0, c.in_flight, c.idle_warm, c.latency * 1e3)
            mask[c.node_index] = 1
        f = self.function_ids.index(fid)
        obs[4 * self._nodes + f] = 1.0
        info = {"function": fid, "candidates": cands, "action_mask": mask, "now": now}
        return ("decision", obs, self._reward(), info)

    # -- the caller side ----------------------------------------------------------
    def reset(self, seed=None, options=None):
        """Starts an episode; returns (obs, info) at its first decision."""
        self.close()
        seed = self._seed if seed is None else seed
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                                 or not 0 <= int(seed) <= _SEED_MAX):
            raise ValueError("seed: expected a whole number from 0 to %d, found %r"
                             % (_SEED_MAX, seed))
        seed = None if seed is None else int(seed)
        self.action_space.seed(seed)
        self._actions, self._events = queue.Queue(), queue.Queue()
        self._last = (0.0, 0.0)
        wenv = weakref.ref(self)
        self._sim = Simulation(self._scenario, seed=seed, set=self._set,
                               scheduler=_router(wenv, self._actions, self._events),
                               **self._options)
        self._thread = threading.Thread(target=_work, args=(wenv, self._sim, self._events),
                                        daemon=True)
        self._finalizer = weakref.finalize(self, _abandon, self._actions)
        self._thread.start()
        kind, obs, _reward, info = self._next()
        if kind == "end":
            return np.zeros(self.observation_space.shape), info
        return obs, info

    def _next(self):
        kind, obs, reward, info = self._events.get()
        if kind == "error":
            self._thread.join()
            self._thread = None
            raise obs
        return kind, obs, reward, info

    def step(self, action):
        """Routes the pending invocation to node `action`; returns (obs,
        reward, terminated, truncated, info) at the next decision or at the
        end of the run (terminated)."""
        if self._thread is None:
            raise RunError("step() before reset() (or after the episode ended)")
        if not self.action_space.contains(action):
            raise ValueError("action: expected a node index in [0, %d), found %r"
                             % (self._nodes, action))
        self._actions.put(int(action))
        kind, obs, reward, info = self._next()
        if kind == "end":
            self._thread.join()
            self._thread = None
            return np.zeros(self.observation_space.shape), reward, True, False, info
        return obs, reward, False, False, info

    def close(self):
        """Ends the episode in progress (its run is abandoned)."""
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if self._thread is not None:
            self._actions.put(_ABORT)
            while self._thread.is_alive():
                try:
                    self._events.get(timeout=0.05)
                except queue.Empty:
                    pass
            self._thread.join()
            self._thread = None
        if self._sim is not None:
            self._sim.close()
            self._sim = None
