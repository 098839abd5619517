"""The C side frees everything: 1,000 simulations created and freed (one in
twenty finished, the rest abandoned mid-run, some with a Python scheduler, some with an
invalid scenario) leave the process's resident memory where it was."""
import gc
import os

import pytest

import edgesim


def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def cycle(tiny, i, outdir):
    if i % 10 == 9:
        try:
            edgesim.Simulation(dict(tiny, duration="-1s"))
        except edgesim.ScenarioError:
            pass
        return
    s = edgesim.Simulation(tiny, seed=i, outdir=outdir,
                           scheduler=(lambda f, c, now: 0) if i % 4 == 0 else None)
    s.run_until("0.5s")
    s.inject({"kind": "crash", "node": "n1", "for": "1s"})
    if i % 20 == 1:  # finishing writes (and syncs) the outputs: the slow part
        s.finish()
    else:
        s.close()


@pytest.mark.skipif(os.environ.get("EDGESIM_SANITIZED") == "1",
                    reason="under ASan freed memory waits in its quarantine (make asan: "
                           "test_api.c checks leaks with LSan instead)")
def test_a_thousand_simulations_do_not_grow_memory(tiny, tmp_path):
    tiny = dict(tiny, duration="1s")
    out = str(tmp_path / "o")
    for i in range(100):  # allocator pools, caches, imports: settle first
        cycle(tiny, i, out)
    gc.collect()
    before = rss_kb()
    for i in range(1000):
        cycle(tiny, i, out)
    gc.collect()
    grown = rss_kb() - before
    # a leak of even one 4 KiB page per simulation would be 4 MB
    assert grown < 1024, "resident memory grew by %d KiB over 1,000 simulations" % grown
