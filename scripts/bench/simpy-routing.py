#!/usr/bin/env python3
"""simpy-routing.py -- scenarios/bench/routing.json as a SimPy model, for make
bench's comparison (scripts/bench.sh): the peer figure issue 18's target is
stated against ("at least 100x SimPy"), measured on this machine in the same
run as edgesim's.

The model is routing.json's, written the way a SimPy user would write it
(Debian's python3-simpy, SimPy 2: a process per invocation, a Resource per
node): 1,000 nodes of 4 slots, each with a FIFO queue; 100 functions, every
one deployed on every node, each called as a Poisson stream of 100 per second
from one region. An invocation goes to the node with the fewest invocations
in flight (running and queued; ties to the lowest index), found with a heap
with lazy deletion (--scan looks at all 1,000 nodes instead: the same picks,
so the same output, at about the same speed). It takes a slot, then an idle
warm instance of its function on that node or, when there is none, a new one
(a cold start: uniform 200-500 ms, the slot held); then it executes for an
exponential time of mean 100 ms (5 s timeout). An instance turns idle when
its invocation ends; the keep-alive (10 minutes) and memory (65,536 MB per
node, 128 MB an instance) never bind within the run, so they are left out.
Latency is arrival to end (one region: no network delay).

    usage: simpy-routing.py [--duration S] [--seed N] [--scan]
Prints "invocations=N cold=N mean_latency_ms=X cpu_seconds=S
invocations_per_cpu_second=R" (CPU time of the simulation only, not the
import).
"""
import argparse
import heapq
import random
import time

from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

NODES, SLOTS, FUNCTIONS, RATE = 1000, 4, 100, 100.0
EXEC_MEAN, TIMEOUT, COLD_MIN, COLD_MAX = 0.100, 5.0, 0.200, 0.500


class Cluster:
    """Nodes, their load (in flight) and warm instances; least-loaded routing."""

    def __init__(self, sim, scan):
        self.scan = scan
        self.slots = [Resource(capacity=SLOTS, name="n%04d" % i, sim=sim) for i in range(NODES)]
        self.load = [0] * NODES
        self.idle = [[0] * FUNCTIONS for _ in range(NODES)]
        self.heap = [(0, i) for i in range(NODES)]  # (load, node), stale entries skipped

    def pick(self):
        if self.scan:  # the plain way: look at every node
            return self.load.index(min(self.load))
        while True:
            load, node = self.heap[0]
            if load == self.load[node]:
                return node
            heapq.heappop(self.heap)

    def change(self, node, by):
        self.load[node] += by
        if not self.scan:
            heapq.heappush(self.heap, (self.load[node], node))


class Invocation(Process):
    def run(self, cluster, stats, fn, rng):
        arrival = self.sim.now()
        node = cluster.pick()
        cluster.change(node, +1)
        slots = cluster.slots[node]
        yield request, self, slots
        idle = cluster.idle[node]
        if idle[fn]:
            idle[fn] -= 1
        else:
            stats["cold"] += 1
            yield hold, self, rng.uniform(COLD_MIN, COLD_MAX)
        yield hold, self, min(rng.expovariate(1.0 / EXEC_MEAN), TIMEOUT)
        idle[fn] += 1
        yield release, self, slots
        cluster.change(node, -1)
        stats["done"] += 1
        stats["latency"] += self.sim.now() - arrival


class Arrivals(Process):
    def run(self, cluster, stats, fn, rng, until):
        while True:
            yield hold, self, rng.expovariate(RATE)
            if self.sim.now() >= until:
                return
            inv = Invocation(sim=self.sim)
            self.sim.activate(inv, inv.run(cluster, stats, fn, rng))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=30.0, help="virtual seconds (30)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scan", action="store_true",
                    help="route by a scan of every node's load (the plain way) instead of the heap")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    t0 = time.process_time()
    sim = Simulation()
    sim.initialize()
    cluster = Cluster(sim, a.scan)
    stats = {"done": 0, "cold": 0, "latency": 0.0}
    for fn in range(FUNCTIONS):
        p = Arrivals(sim=sim)
        sim.activate(p, p.run(cluster, stats, fn, rng, a.duration))
    sim.simulate(until=a.duration)
    cpu = time.process_time() - t0
    n = stats["done"]
    print("invocations=%d cold=%d mean_latency_ms=%.3f cpu_seconds=%.3f "
          "invocations_per_cpu_second=%.0f" % (n, stats["cold"], 1e3 * stats["latency"] / max(n, 1),
                                               cpu, n / cpu if cpu > 0 else 0))


if __name__ == "__main__":
    main()
