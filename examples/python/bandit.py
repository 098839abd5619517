#!/usr/bin/python3
"""An epsilon-greedy bandit over nodes, as an edgesim routing policy in Python.

Each node is an arm. Its value is an estimate of what an invocation costs
there: the node's recent mean latency (an exponentially weighted mean of the
latencies completed there, read from Simulation.nodes() once a simulated
second), plus what the candidate says now: the network latency from the
client's region, and a cold start when no idle warm instance waits. With
probability epsilon the bandit explores a random candidate instead; its
random numbers come from its own seeded generator, so a run is reproducible.

    PYTHONPATH=python /usr/bin/python3 examples/python/bandit.py [SCENARIO] [--duration 10m]

runs the scenario (default scenarios/quickstart.json) with the bandit and
with the built-in random and least_loaded policies on the same seed (the
same arrivals: common random numbers) and prints mean and p99 latency of each.
"""
import argparse
import random

import edgesim


class EpsilonGreedy:
    def __init__(self, epsilon=0.05, cold_s=0.4, decay=0.3, seed=1):
        self.epsilon, self.cold_s, self.decay = epsilon, cold_s, decay
        self.rng = random.Random(seed)
        self.sim = None            # set once the Simulation exists
        self.value = {}            # node id -> recent mean latency (s)
        self.seen = {}             # node id -> (ok, latency_sum_ms) at the last update
        self.next_update = 0.0

    def update(self, now):
        for n in self.sim.nodes().itertuples():
            ok0, sum0 = self.seen.get(n.id, (0, 0.0))
            if n.ok > ok0:
                mean = (n.latency_sum_ms - sum0) / (n.ok - ok0) / 1e3
                old = self.value.get(n.id, mean)
                self.value[n.id] = (1 - self.decay) * old + self.decay * mean
            self.seen[n.id] = (n.ok, n.latency_sum_ms)
        self.next_update = now + 1.0

    def cost(self, c):
        return (self.value.get(c.node, 0.0) * (1 + c.in_flight) + c.latency
                + (0.0 if c.idle_warm else self.cold_s))

    def __call__(self, function, candidates, now):
        if now >= self.next_update:
            self.update(now)
        if self.rng.random() < self.epsilon:
            return self.rng.randrange(len(candidates))
        return min(range(len(candidates)), key=lambda i: self.cost(candidates[i]))


def run_bandit(scenario, seed=None, set=None, **kw):
    policy = EpsilonGreedy(**kw)
    sim = edgesim.Simulation(scenario, seed=seed, set=set, scheduler=policy)
    policy.sim = sim
    return sim.finish()


def latency(result):
    lat = result.summary["latency_s"]
    return lat["mean"] * 1e3, lat["p99"] * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/quickstart.json")
    ap.add_argument("--duration", default=None, help="override the scenario's, e.g. 10m")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    sets = {"duration": args.duration} if args.duration else {}
    print("%-14s %10s %10s" % ("policy", "mean_ms", "p99_ms"))
    for name in ("random", "least_loaded"):
        r = edgesim.run(args.scenario, seed=args.seed,
                        set=dict(sets, **{"policies.scheduler": name}))
        print("%-14s %10.1f %10.1f" % ((name,) + latency(r)))
    r = run_bandit(args.scenario, seed=args.seed, set=sets)
    print("%-14s %10.1f %10.1f" % (("epsilon-greedy",) + latency(r)))


if __name__ == "__main__":
    main()
